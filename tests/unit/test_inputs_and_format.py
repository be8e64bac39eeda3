"""Direct tests of raw-text parsing (calculators/_inputs.py) and of the formatting rules
(calculators/_format.py); each expected value follows from the rule in the docstring named."""

from __future__ import annotations

import pytest

from calculators import _format as f
from calculators._inputs import InputError, InputSpec, parse_value

NUMBER = InputSpec("number", "Calls per day", minimum=0, maximum=1e9, name="calls-per-day")
INTEGER = InputSpec("integer", "Epochs", minimum=0, maximum=100, name="epochs")
SHARE = InputSpec("share", "Cached share", minimum=0, maximum=1, name="cached-share")
FLAG = InputSpec("flag", "Bill validation", name="bill-validation")
CHOICE = InputSpec("choice", "Task", choices=("simple", "domain"), name="task")


class TestParseValue:
    @pytest.mark.parametrize(
        ("raw", "value"),
        [("50,000", 50000.0), ("$2.50", 2.5), ("1 500", 1500.0), (" 7_000 ", 7000.0)],
    )
    def test_accepts_the_separators_readers_paste(self, raw, value):
        assert parse_value(NUMBER, raw) == value

    def test_a_share_may_be_a_percentage(self):
        assert parse_value(SHARE, "25%") == pytest.approx(0.25)

    def test_an_integer_refuses_a_fraction_and_returns_an_int(self):
        assert parse_value(INTEGER, "3") == 3 and isinstance(parse_value(INTEGER, "3"), int)
        with pytest.raises(InputError, match=r"^epochs: must be a whole number \(got '1.5'\)$"):
            parse_value(INTEGER, "1.5")

    @pytest.mark.parametrize("raw", ["yes", "TRUE", "on", "1", "y"])
    def test_yes_words(self, raw):
        assert parse_value(FLAG, raw) is True

    @pytest.mark.parametrize("raw", ["no", "False", "off", "0", "n"])
    def test_no_words(self, raw):
        assert parse_value(FLAG, raw) is False

    def test_choice_names_the_choices(self):
        with pytest.raises(InputError, match=r"^task: must be one of simple, domain \(got 'x'\)$"):
            parse_value(CHOICE, "x")

    @pytest.mark.parametrize("raw", ["abc", "NaN", "inf", "1e309", ""])
    def test_non_numbers_name_the_field(self, raw):
        with pytest.raises(InputError, match=r"^calls-per-day: "):
            parse_value(NUMBER, raw)

    def test_bounds_are_left_to_validate(self):
        # Checked once, when the inputs dataclass is built (validate), not here as well.
        assert parse_value(NUMBER, "-3") == -3.0

    def test_long_text_is_refused_not_echoed(self):
        with pytest.raises(InputError, match=r"too long \(201 characters\)"):
            parse_value(NUMBER, "9" * 201)


class TestFormat:
    def test_usd_whole_dollars_from_100_cents_below(self):
        assert f.usd(5625) == "$5,625" and f.usd(2.5) == "$2.50" and f.usd(-750) == "−$750"

    def test_price_keeps_digits_that_matter(self):
        assert f.price(2.5) == "$2.50" and f.price(0.075) == "$0.075"

    def test_months(self):
        assert f.months(None) == "never" and f.months(3.0769) == "3.1 months"
        assert f.months(250) == "250 months"

    def test_memory_in_megabytes_under_one_gigabyte(self):
        assert f.memory(0.168) == "168 MB" and f.memory(18.6) == "18.6 GB"
        assert f.memory(0.0001) == "under 1 MB"

    def test_gpu_time_in_minutes_under_an_hour(self):
        assert f.gpu_time(0.4) == "24 GPU-minutes" and f.gpu_time(1 / 60) == "1 GPU-minute"
        assert f.gpu_time(3.4) == "3.4 GPU-hours" and f.gpu_time(0) == "0 GPU-hours"

    def test_ranges_collapse_when_equal(self):
        assert f.count_range((500, 1000)) == "500–1,000" and f.count_range((5, 5)) == "5"
        assert f.usd_range((4000, 12000)) == "$4,000–$12,000"
        assert f.hours_range((40, 80)) == "40–80 hours" and f.hours_range((40, 40)) == "40 hours"

    def test_percent_digits_by_size(self):
        assert f.percent(0.5196) == "0.52%" and f.percent(5.25) == "5.2%"
        assert f.percent(52) == "52%" and f.percent(0) == "0%"

    def test_tokens(self):
        assert f.tokens(1_500_000) == "1.50M tokens" and f.tokens(800) == "800 tokens"

    def test_display_shows_a_dash_for_none(self):
        assert f.display("usd", None) == "—" and f.display("months", None) == "never"

    def test_every_format_is_used_by_some_output(self):
        from calculators import all_calculators

        used = {o.fmt for c in all_calculators() for o in c.outputs}
        assert set(f.FORMATS) <= used | {"text"}, set(f.FORMATS) - used
