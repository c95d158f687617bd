"""The knowledge base of reply examples."""

from __future__ import annotations

import pytest

from huntaze.ai.selectors import reply_examples
from huntaze.ai.services import knowledge_base_example_add
from huntaze.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_the_same_example_twice_raises_its_score(creator_a, creator_b):
    first = knowledge_base_example_add(
        creator_id=creator_a.id, input_text="hi", output_text="Hey {fan_name}!", source="manual"
    )
    second = knowledge_base_example_add(
        creator_id=creator_a.id, input_text="hi", output_text="Hey {fan_name}!", source="edited"
    )
    other = knowledge_base_example_add(
        creator_id=creator_a.id, input_text="bye", output_text="See you!", source="manual"
    )
    assert first == second != other
    examples = reply_examples(creator_id=creator_a.id)
    assert [(e.id, e.score) for e in examples] == [(first, 2.0), (other, 1.0)]
    assert reply_examples(creator_id=creator_b.id) == []


def test_examples_are_bounded(creator_a):
    for number in range(25):
        knowledge_base_example_add(
            creator_id=creator_a.id, input_text=str(number), output_text="ok", source="manual"
        )
    assert len(reply_examples(creator_id=creator_a.id)) == 20


@pytest.mark.parametrize(
    ("output_text", "source", "field"),
    [("", "manual", "output_text"), ("x" * 4001, "manual", "output_text"), ("ok", "?", "source")],
)
def test_bad_examples_are_refused(creator_a, output_text, source, field):
    with pytest.raises(ValidationFailed) as error:
        knowledge_base_example_add(
            creator_id=creator_a.id, input_text="hi", output_text=output_text, source=source
        )
    assert list(error.value.field_errors) == [field]
    assert reply_examples(creator_id=creator_a.id) == []
