"""The renderer's context calls plain functions and macros at once (generator/site/pages.py `_Context`):
every call gives what Jinja's own context gives, callables that ask Jinja for its context or
environment, and one that raises StopIteration, included."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, pass_context, pass_environment

from generator.site.pages import _Environment


def render(environment_class: type[Environment], template: str, **values) -> str:
    environment = environment_class(loader=DictLoader({"page.html": template}), autoescape=True)
    return environment.get_template("page.html").render(**values)


def test_functions_methods_and_macros_are_called_with_their_arguments_in_loops_and_blocks():
    template = (
        "{% macro tag(x, y='') %}<{{ x }}{{ y }}>{% endmacro %}"
        "{% for i in [1, 2] %}{{ tag(i, y='!') }}{{ double(i) }}{{ words.upper() }}{{ '%d' | format(i) }}{% endfor %}"
        "{% block b %}{{ tag('b') }}{% endblock %}"
    )
    values = {"double": lambda i: i * 2, "words": "ab"}
    assert render(_Environment, template, **values) == "<1!>2AB1<2!>4AB2<b>" == render(Environment, template, **values)


def test_a_callable_that_asks_for_the_context_or_the_environment_still_gets_it():
    @pass_context
    def value_of(context, name):
        return context.get(name)

    @pass_environment
    def autoescaping(environment):
        return environment.autoescape

    class Callable:
        @pass_context
        def __call__(self, context):
            return context["who"]

    template = "{% set j = 3 %}{{ value_of('j') }} {{ autoescaping() }} {{ callable() }}"
    values = {"value_of": value_of, "autoescaping": autoescaping, "callable": Callable(), "who": "moi"}
    assert render(_Environment, template, **values) == "3 True moi" == render(Environment, template, **values)


def test_a_function_that_raises_stop_iteration_gives_an_undefined_value_as_in_jinja():
    def exhausted():
        return next(iter(()))

    assert (
        render(_Environment, "[{{ exhausted() }}]", exhausted=exhausted)
        == "[]"
        == render(Environment, "[{{ exhausted() }}]", exhausted=exhausted)
    )
