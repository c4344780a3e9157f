"""posts.techniques: the named types and techniques of a therapy, in invented sentences (not the labelled articles)."""

from __future__ import annotations

from posts.article import parse_article
from posts.techniques import find_techniques


def _found(text: str, fmt: str = "txt") -> list[str]:
    article = parse_article(text, f"article.{fmt}")
    return find_techniques(article.sentences, article.title)


def test_a_we_use_list_names_each_technique_and_drops_its_explanations():
    text = ("Shiatsu for Tired Shoulders\n\nOur practitioners use palm rocking, thumb pressure along the meridians "
            "and a Zen Shiatsu sequence, where the whole body is stretched, to finish.")
    assert _found(text) == ["palm rocking", "thumb pressure", "Zen Shiatsu sequence"]


def test_techniques_such_as_names_the_list_even_without_technique_words():
    text = "Reflexology at Home\n\nSimple techniques such as caterpillar walking and finger rotation are easy to learn."
    assert _found(text) == ["caterpillar walking", "finger rotation"]


def test_combine_with_names_both_sides_and_strips_how_gently():
    text = ("Physio for a Stiff Back\n\nMost sessions combine McKenzie extensions with gentle joint mobilisations, "
            "and the pace is always up to you.")
    assert _found(text) == ["McKenzie extensions", "joint mobilisations"]


def test_list_under_a_types_heading_and_items_led_by_may_include():
    text = ("# Hydrotherapy for Arthritis\n\n## Types of pool session\n\n- Aqua aerobics\n- Watsu\n\n"
            "## Your plan\n\nYour programme may include:\n\n- Buoyancy-assisted stretching: easier than on land\n"
            "- A weekly review")
    assert _found(text, "md") == ["Aqua aerobics", "Watsu", "Buoyancy-assisted stretching"]


def test_sub_headings_of_a_types_section_are_the_types():
    text = ("# Massage for Back Pain\n\n## Kinds of massage we offer\n\n### Lomi lomi\n\nLong strokes with the forearms."
            "\n\n### Which one should I choose?\n\nAsk at reception.")
    assert _found(text, "md") == ["Lomi lomi"]


def test_a_technique_word_with_a_kind_is_found_anywhere_but_a_vague_one_is_not():
    text = ("Sports Therapy for Runners\n\nAfter the assessment your therapist may try Graston technique on the calf. "
            "A gentle massage and regular exercises keep you moving, and we finish with eccentric loading.")
    assert _found(text) == ["Graston technique", "eccentric loading"]


def test_prices_calls_to_action_and_verb_fragments_are_not_techniques():
    text = ("Reiki for Sleep\n\nOur packages include a taster for £25 and a full hour for £60. "
            "Sessions include gently stretching the spine and rocking the hips. Call us today or book online!")
    assert _found(text) == []


def test_the_therapy_itself_and_its_definition_are_not_its_types():
    text = ("Craniosacral Therapy for Babies\n\nCraniosacral therapy is a light, hands-on bodywork therapy. "
            "Our craniosacral therapy sessions last 40 minutes.")
    assert _found(text) == []


def test_a_warning_names_no_technique_and_a_clinic_name_is_not_one():
    text = ("Acupuncture for Hay Fever\n\nAt Elm Street Acupuncture we treat hay fever every spring. "
            "Electroacupuncture may not be suitable if you have a pacemaker.")
    assert _found(text) == []


def test_names_are_kept_once_in_article_order_whatever_their_case():
    text = ("Yoga for Runners\n\nWe teach Ashtanga yoga and yin yoga. Yin Yoga holds each pose for minutes, "
            "and our Slow Flow classes run on Sundays.")
    assert _found(text) == ["Ashtanga yoga", "yin yoga", "Slow Flow"]
