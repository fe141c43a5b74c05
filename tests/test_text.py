"""Plain-text handling: scrape clean-up, blocks and sub-headings, sentences, headlines, deks."""

from __future__ import annotations

import pytest

from generator.text import (
    DEK_MAX,
    HEADLINE_MAX,
    HEADLINE_SLACK,
    Block,
    clean_scraped_text,
    dek_from_lead,
    headline_from_lead,
    sentences,
    shorten,
    split_blocks,
)

# --- clean_scraped_text ---------------------------------------------------------------------


def test_photo_caption_is_removed_and_the_text_after_it_kept():
    text = (
        "Eerste alinea.\n\nVolledig scherm Trump en Poetin doen hun oortjes in. © AFP "
        "De Russische leider sprak."
    )
    assert clean_scraped_text(text) == "Eerste alinea.\n\nDe Russische leider sprak."


@pytest.mark.parametrize("credit", ["AFP", "ANP/EPA", "ANP / EPA", "Reuters", "Getty Images"])
def test_photo_caption_credits(credit: str):
    text = f"Begin. Volledig scherm Een foto van de top. © {credit} Tekst gaat verder."
    assert clean_scraped_text(text) == "Begin. Tekst gaat verder."


def test_text_without_copyright_sign_is_not_a_caption():
    text = "Klik op Volledig scherm om de foto te zien."
    assert clean_scraped_text(text) == text


def test_double_comma_becomes_dutch_low_quote():
    text = ",,We hebben open gesproken”, aldus Trump. Hij zei: ,,Dank u.”"
    assert clean_scraped_text(text) == "„We hebben open gesproken”, aldus Trump. Hij zei: „Dank u.”"


def test_pull_quote_repeating_the_article_is_removed_with_its_speaker():
    text = (
        "Jan Jansen sprak in Den Haag.\n\n"
        "Quote Wij willen vrede en veiligheid voor iedereen Jan Jansen "
        "De tekst gaat hier verder.\n\n"
        "Hij zei: ,,Wij willen vrede en veiligheid voor iedereen. Dat is alles.”"
    )
    assert clean_scraped_text(text) == (
        "Jan Jansen sprak in Den Haag.\n\n"
        "De tekst gaat hier verder.\n\n"
        "Hij zei: „Wij willen vrede en veiligheid voor iedereen. Dat is alles.”"
    )


def test_quote_whose_text_is_not_found_elsewhere_is_kept():
    text = "Eerste alinea.\n\nQuote Dit staat nergens anders in de tekst Piet gewoon."
    assert clean_scraped_text(text) == text


def test_the_word_quote_inside_a_sentence_is_kept():
    text = "Hij gebruikte het woord Quote vaak. Quote is Engels."
    assert clean_scraped_text(text) == text


def test_windows_line_endings_are_normalised():
    assert clean_scraped_text("Een.\r\n\r\nTwee.\rDrie.") == "Een.\n\nTwee.\nDrie."


def test_text_is_unicode_normalised_to_nfc():
    assert clean_scraped_text("Israe\u0308l") == "Isra\u00ebl"


# --- split_blocks ---------------------------------------------------------------------------


def test_paragraphs_are_separated_by_blank_lines_and_white_space_is_collapsed():
    text = "Eerste   alinea\nloopt door.\n\n  \n\nTweede alinea.\n"
    assert split_blocks(text) == [
        Block("p", "Eerste alinea loopt door."),
        Block("p", "Tweede alinea."),
    ]


@pytest.mark.parametrize("heading", ["Staatsgeheimen", "'Zeer, zeer succesvol'", "Dom"])
def test_short_unpunctuated_line_between_paragraphs_is_a_subheading(heading: str):
    text = f"Eerste alinea.\n\n{heading}\n\nTweede alinea."
    assert split_blocks(text) == [
        Block("p", "Eerste alinea."),
        Block("h2", heading),
        Block("p", "Tweede alinea."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Wat nu?",  # ends like a sentence
        "Kort.",
        "kleine letters",  # starts lower-case
        "Een heel lange regel zonder punt die meer dan zestig tekens telt, echt waar",
        "Een twee drie vier vijf zes zeven acht negen",  # more than eight words
    ],
)
def test_other_lines_between_paragraphs_are_paragraphs(line: str):
    blocks = split_blocks(f"Eerste alinea.\n\n{line}\n\nTweede alinea.")
    assert [b.kind for b in blocks] == ["p", "p", "p"]
    assert blocks[1].text == line


def test_short_first_or_last_line_is_not_a_subheading():
    assert split_blocks("Kop\n\nAlinea.\n\nSlot") == [
        Block("p", "Kop"),
        Block("p", "Alinea."),
        Block("p", "Slot"),
    ]


def test_subheading_between_windows_line_endings():
    blocks = split_blocks("Eerste alinea.\r\n\r\nStaatsgeheimen\r\n\r\nTweede alinea.\r\n")
    assert blocks == [
        Block("p", "Eerste alinea."),
        Block("h2", "Staatsgeheimen"),
        Block("p", "Tweede alinea."),
    ]


def test_empty_text_has_no_blocks():
    assert split_blocks("") == []
    assert split_blocks(" \n\n \t\n") == []


# --- sentences ------------------------------------------------------------------------------


def test_sentences_keep_st_petersburg_together():
    paragraph = (
        "Trump vertelde dat de Amerikanen de Russen had gewaarschuwd voor een op handen "
        "zijnde aanslag in St. Petersburg. De verdachten werden tijdig gearresteerd."
    )
    assert sentences(paragraph) == [
        "Trump vertelde dat de Amerikanen de Russen had gewaarschuwd voor een op handen "
        "zijnde aanslag in St. Petersburg.",
        "De verdachten werden tijdig gearresteerd.",
    ]


def test_sentences_keep_abbreviations_and_initials():
    assert sentences("Dr. Jansen kwam o.a. uit Utrecht. Hij sprak met J. Comey. Klaar.") == [
        "Dr. Jansen kwam o.a. uit Utrecht.",
        "Hij sprak met J. Comey.",
        "Klaar.",
    ]


def test_sentences_end_on_question_exclamation_ellipsis_and_closing_quote():
    assert sentences("Waarom? Daarom! Toen ging hij... Hij zei: 'Ik kom.' Weg.") == [
        "Waarom?",
        "Daarom!",
        "Toen ging hij...",
        "Hij zei: 'Ik kom.'",
        "Weg.",
    ]


def test_a_full_stop_before_a_lower_case_word_or_inside_a_number_does_not_split():
    assert sentences("Het kostte 3.5 miljoen. en meer.") == ["Het kostte 3.5 miljoen. en meer."]


def test_sentences_of_empty_text():
    assert sentences("") == []


# --- shorten --------------------------------------------------------------------------------


def test_shorten_keeps_short_text_whole_with_white_space_collapsed():
    assert shorten("  een   twee\ndrie ", 14) == "een twee drie"


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    assert shorten("een twee drie vier vijf", 12) == "een twee…"


def test_shorten_does_not_end_on_a_dangling_little_word():
    assert shorten("De informatie kwam van Israël volgens de krant", 24) == "De informatie kwam…"


def test_shorten_drops_trailing_punctuation_before_the_ellipsis():
    assert shorten("een, twee, drie", 12) == "een, twee…"


def test_shorten_respects_the_limit_when_the_first_word_is_too_long():
    assert shorten("abcdefghij klm", 5) == "abcd…"


# --- headline_from_lead ---------------------------------------------------------------------


def test_headline_is_the_first_sentence_without_its_full_stop():
    lead = "Trump deelde staatsgeheimen met Lavrov. Dat meldt The Washington Post."
    assert headline_from_lead(lead, "bestand") == "Trump deelde staatsgeheimen met Lavrov"


def test_headline_keeps_a_question_mark():
    assert headline_from_lead("Wie geloofde hij? Het antwoord bleef vaag.", "x") == (
        "Wie geloofde hij?"
    )


def test_headline_keeps_st_petersburg():
    lead = "Een aanslag in St. Petersburg is verijdeld. De verdachten zijn opgepakt."
    assert headline_from_lead(lead, "x") == "Een aanslag in St. Petersburg is verijdeld"


def test_headline_of_up_to_120_characters_is_kept_whole():
    first = "De gevoelige informatie over Islamitische Staat die president Trump met de Russen "
    first += "zou hebben gedeeld, kwam van Israël"
    assert len(first) == 117 > HEADLINE_MAX
    assert headline_from_lead(first + ". Dat schrijft de krant.", "x") == first


def test_headline_of_exactly_the_limit_plus_slack_is_kept_whole():
    first = ("woord " * 20)[:-1]  # 119 characters
    first = "A" + first  # 120
    assert len(first) == HEADLINE_MAX + HEADLINE_SLACK
    assert headline_from_lead(first + ". Meer.", "x") == first


def test_longer_headline_is_cut_at_a_word_boundary_to_110_characters():
    lead = (
        "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald "
        "Trump graag snel opnieuw samenzitten met zijn Russische collega Vladimir Poetin."
    )
    assert headline_from_lead(lead, "x") == (
        "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald "
        "Trump graag snel opnieuw…"
    )


def test_headline_one_character_over_the_slack_is_cut():
    first = "A" + ("woord " * 20)[:-1] + "x"  # 121 characters
    headline = headline_from_lead(first + ".", "x")
    assert len(headline) <= HEADLINE_MAX
    assert headline.endswith("…")
    assert first.startswith(headline[:-1] + " ")


@pytest.mark.parametrize("lead", ["", "   ", "...", "„”", " - "])
def test_headline_falls_back_when_there_is_no_text(lead: str):
    assert headline_from_lead(lead, "  mijn   bestand ") == "mijn bestand"


def test_headline_is_never_empty_even_without_a_fallback():
    assert headline_from_lead("", "") == "?"


def test_headline_of_one_very_long_word_is_at_most_110_characters():
    assert len(headline_from_lead("x" * 130 + " is lang.", "bestand")) <= HEADLINE_MAX


# --- dek_from_lead --------------------------------------------------------------------------


def test_dek_is_the_first_two_sentences():
    assert dek_from_lead("Eerste zin. Tweede zin. Derde zin.") == "Eerste zin. Tweede zin."


def test_dek_is_one_sentence_when_two_do_not_fit():
    first = "A" * 200 + "."
    assert dek_from_lead(first + " " + "B" * 150 + ".") == first


def test_dek_of_one_long_sentence_is_cut_to_the_maximum():
    dek = dek_from_lead("woord " * 80)
    assert len(dek) <= DEK_MAX
    assert dek.endswith("woord…")


def test_dek_of_empty_lead_is_empty():
    assert dek_from_lead("") == ""


def test_dek_of_one_very_long_word_is_at_most_the_maximum():
    assert len(dek_from_lead("x" * 400 + " is lang.")) <= DEK_MAX
