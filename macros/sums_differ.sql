{#
  Whether two sums of doubles (minutes, hours) that should tie out differ by more than rounding. The same
  values added in another order differ in their last bits, and over millions of listens those bits add up to
  more than any fixed tolerance (10M listens: 1e-5 minutes in 17M), so the tolerance is relative: 1e-9 of the
  larger of the two, and 1e-9 near zero. The reports' tie-out tests (tests/singular) use it.
#}
{% macro sums_differ(left, right) -%}
abs(({{ left }}) - ({{ right }})) > 1e-9 * greatest(1, abs({{ left }}), abs({{ right }}))
{%- endmacro %}
