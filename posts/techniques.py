"""The named types and techniques of a therapy in an article ("deep tissue massage", "Vodder method", "I-strip").

A marketer sees the list, so each rule wants evidence that a phrase *names* a technique: a list after a cue
("types include A and B", "we use …", "sessions combine A with B"), a list item or sub-heading of a "Types of …"
section, a phrase headed by a technique word with a modifier that tells one kind from another ("Swedish massage",
not "gentle massage"), or a capitalised class name. The title's own therapy, prices, people, warnings and verb
fragments are never techniques. Pure string work.
"""

from __future__ import annotations

import re

from posts.article import Sentence
from posts.cues import _COLON_LABEL, _TYPE_HEADING, _TYPE_LIST


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Head nouns of technique names; a word ending in "-strip", "-style" or "-acupuncture" is one whole.
_HEAD = (r"massages?|therap(?:y|ies)|release|method|technique|concept|manipulations?|mobili[sz]ations?|articulation|"
         r"drainage|bandag(?:ing|es)|cupping|acupuncture|acupressure|needling|strips?|strokes?|poses?|exercises|holds|"
         r"stretching|training|loading|strengthening|curls?|soaks?|baths?|bowls|attachments?|protocol|rolling|swimming|"
         r"jogging|walking|bathing|dancing|dance|classes|yoga|pilates|reflexology|cryotherapy|hydrotherapy|halotherapy|"
         r"osteopathy|immersion|showers|packs|wraps|splints?|compression|decompression|stabili[sz]ation|retraining|"
         r"style|approach|tens|shockwave|cabins?|induction|gua sha|wheat bags?|heat patch(?:es)?|bottles?|"
         r"manoeuvres?|maneuvers?|aerobics|circuits?|gliding|friction|breathing|running|ultrasound|series|"
         r"bridges?|circles|"
         r"scale|press|rows?|squats?|pull-aparts?|ladder|string|putty|cycling|protection|biofeedback|raises|imagery|"
         r"current|tucks?|flicks")
_HEAD_WORD = re.compile(rf"^(?:{_HEAD})$|^[\w'-]+-(?:strip|style|acupuncture|therapy)$", re.IGNORECASE)
# Heads that name a kind only inside a list of techniques: "chair work, … with table work", "sweeping rolls".
_LIST_HEAD_WORD = re.compile(r"^(?:work|rolls|classes)$", re.IGNORECASE)
# Heads that name a kind only with a name: "the "I Love U" stroke", not "clockwise strokes" or "group classes".
_NAMED_ONLY = _words_of("classes strokes stroke approach")
# After a head, these make it a modifier: "the hydrotherapy pool", "a massage gun", "a technique lesson".
_FOLLOWER = _words_of("""pool groups group gun guns table mat mats room rooms studio clinic centre center team therapist
    therapists practitioner practitioners chair bed tool tools suite lesson lessons garments stockings sleeves oil
    pattern patterns pace speed distance""")
_COUNTING_HEADS = _words_of("series circles bridges")
# Words that say how, how often or how well, not which kind: "gentle massage" names no technique.
_VAGUE = _words_of("""gentle gentler light lighter slow slower firm firmer regular short shorter long longer brief quick
    full targeted structured specific tailored personalised personalized individual home weekly daily monthly typical
    usual first initial further other different various additional own same new good great best proper right
    professional qualified expert certified basic standard modern classic popular common main total complete effective
    safe steady brisk relaxing soothing calming graded easy intense intensive strong custom reusable whole extra special
    little big large tiny huge sure
    occasional optional hard heavy easier confident ordinary normal everyday better faster very rhythmic alternative
    progressive small small-group warm fresh senior well-taught made-to-measure single-use comfortable safer steadier
    stronger calmer later earlier next non-surgical non-invasive extracorporeal complementary holistic natural drug-free
    postgraduate specialist still quiet mild shallow correct familiar precise plain real even""")
# Nor do a generic technique word, what an exercise is for, or a broad discipline: "yoga poses", "physical therapy".
_PLAIN = _VAGUE | _words_of("""hands-on massage therapy yoga treatment exercise balance grip strength core rehab
    rehabilitation physiotherapy posture mobility stability flexibility surgical post-surgical forceful physical cold
    heat occupational""")
# Words that end a noun phrase when walking left from its head: function words, verbs, pronouns, numbers.
_NOT_MODIFIER = _words_of("""a an the this that these those our your their his her its my we you they it i of and or but
    alongside besides me him us felt feel feels claim claims
    with without for to in on at by from into over under after before during between about as than then is are was
    were be been being has have had do does did can could may might will would should must use uses combine combines
    blend blends include includes including offer offers add adds try prefer teach practise practice receive book get
    gets give gives make makes made need needs called named known such like also both either plus each every some any
    many most more less few what which who where when how find suggest skip cover run keep cure ask whether while
    recommend enjoy provide consider choose start begin continue want love see follow mix pair involve require avoid
    favour favor that's it's there's here's what's we'll you'll we're you're i'll i'm gone went go come fewer less
    greater better higher lower stronger once through
    describe using doing holding stroking because so if though although not no one two three four five six seven eight
    nine ten second third several stop start seek poor selected twice day postpone expect didn't don't""")
# Words in -ing that name a kind ("Tibetan singing bowls", "Nordic hamstring curl"), unlike "using" or "holding".
_ING_MODIFIER = _words_of("""singing running walking swimming rolling cycling jogging bathing breathing stretching
    strengthening hamstring spring string gliding""")
# Alone, these name no technique.
_GENERIC = _words_of("""treatment treatments therapy massage session class exercise exercises technique techniques
    method methods approach care support advice poses pose stretches movements moves holds strokes needles form
    forms""")
# "We use …", "Our therapists combine …", "Treatment may include …": a list of what the clinic practises.
_WEAK_CUE = re.compile(
    r"\b(?:we|i(?:'ll|’ll)?|our\s+[\w-]+(?:\s+[\w-]+s)?|the\s+(?:therapist|practitioner|physio\w*|teacher|clinic)s?|"
    r"your\s+[\w-]+|"
    r"they|it|treatment|sessions?|classes|lessons|programmes?|plans?|sequences?|routines?|workouts?)\s+"
    r"(?:(?:also|usually|mostly|mainly|commonly|typically|often|sometimes|can|may|will|tend to|then|both)\s+)*"
    r"(?P<verb>uses?|offers?|combines?|blends?|includes?|practises?|teach|teaches|draws? on|(?:are|is) trained in|"
    r"adds?|are available as|build [\w ]{0,20}?around)\s+(?:you\s+)?(?P<items>[^.;]+)", re.IGNORECASE)
# Cues whose list surely names techniques: "types include …", "strokes such as …", "different heads …: a A, a B".
_STRONG_CUES = (_TYPE_LIST, re.compile(
    r"\b(?:strokes|exercises|poses|stretches|movements|moves|heads|attachments|tips|strips|holds|tools|drills|devices|"
    r"aids|games|activities|stations)\b[^.:]*?"
    r"(?:\bsuch as\b|\bincluding\b|:)\s+(?P<items>[^.]+)", re.IGNORECASE))
_CAPITALISED_NAME = re.compile(r"(?<!^)(?<![.:] )\b(?P<name>(?:[A-Z][\w'-]+\s+){1,4}?[A-Z][\w'-]+)\s+"
                               r"(?:classes|sessions|lessons|movements|workshops)\b")
# Where an item stops: a clause, a prepositional phrase, a participle or the sentence's verb.
_ITEM_END = re.compile(r"\s(?:for|to|in|on|at|under|from|during|after|before|around|across|along|into|over|between|by|"
                       r"using|that|which|where|who|whose|so|because|if|when|while|until|than|like|such as|as|with|"
                       r"without|alongside|plus|depending|instead|too|again|guided by|are|is|can|will|helps?|"
                       r"[a-z]+ed\s+(?=on|in|up|from|with|along|into|at|by|for|to|around)|"
                       r"held|laid|cut|built|drawn|taken|given|known|shown|done|"
                       r"of\s+(?=\S+\s+\S)|of\s+(?:the|a|an|your|our|each)\b)\b|\s[-–—]\s|[(:]", re.IGNORECASE)
# "…, and the pace is up to you": a clause of its own, not an item.
_CLAUSE = re.compile(r"(?:the|this|that|these|those|it|they|we|you|i)\b.*\b(?:is|are|was|were|can|will)\b", re.I)
# "a programme of", "a few minutes of", "the": what comes before the name.
_LEADING = re.compile(r"^(?:(?:(?:(?:a|the|some|short|brief|few)\s+)*(?:programme|range|course|mix|choice|combination|"
                      r"series|sequence|periods?|minutes|spell|bit|round)\s+of|a|an|the|both|some|our|your|their|its|"
                      r"this|these|also|then|either|one of our|sometimes|usually|often|occasionally)\s+)+(?=\w{3})",
                      re.IGNORECASE)
_VERB = re.compile(r"\b(?:is|are|was|were|be|can|may|will|should|do|does|has|have|had|it|they|we|you|i|he|she|them|"
                   r"yourself|helps?|makes?|gets?|takes?|feels?|works?|stays?|means?)\b", re.IGNORECASE)
# Prices, calls to action, people, conditions, times, body parts alone: never a technique.
_NOT_A_TECHNIQUE = re.compile(
    r"[£$€\d%]|\b(?:book|call|contact|visit|appointments?|consultation|assessment|check|beforehand|gp|"
    r"physiotherapists?|therapists?|practitioners?|teachers?|doctors?|patients?|clients?|people|pain|symptoms?|"
    r"condition|injury|nerve|sciatic|sciatica|fracture|sprain|strain|\w+itis|syndrome|disease|disorder|area|"
    r"muscles?(?! energy)|"
    r"morning|evening|lunchtime|weekend|sessions?|lessons?|course|minutes|hours|weeks|(?<!hot )water bottles?|"
    r"warm-ups?|cool-downs?|paracetamol|ibuprofen|painkillers?|tablets?|shin splints|system|"
    r"\w+-(?:minute|hour|week|day|session)\b(?!.*\bscale$))\b|"
    r"^(?:(?:hands?|feet|foot|legs?|arms?|neck|back|shoulders?|abdomen|knees?|hips?|skin|temples?|cheekbones?|"
    r"forehead|jaw|wrists?|ankles?|and)\s*)+$", re.IGNORECASE)
# A class of techniques, not one: "hand techniques", "other treatments".
_CLASS_NOUN = re.compile(r"\b(?:techniques|methods|styles|types|kinds|forms|options|approaches|treatments)$", re.I)
_WARNING = re.compile(r"\b(?:not (?:be )?(?:suitable|appropriate|recommended|safe)|should not|shouldn't|consult|contra"
                      r"indicated|see (?:a|your) (?:doctor|gp)|to book|book online|call (?:us|the clinic))\b", re.I)
# One word that names a technique by itself: "electroacupuncture", "articulation", "biofeedback".
_TECHNIQUE_SUFFIX = re.compile(r"(?:ation|therapy|puncture|pathy|ology|feedback)$", re.IGNORECASE)
# Standard names of massage strokes and manual techniques, which need no cue or head word to be one.
_NAMED_TERM = re.compile(r"\b(?:effleurage|petrissage|pétrissage|tapotement|vibration techniques?|skin rolling|"
                         r"cross-fib(?:re|er) friction|muscle energy techniques?|positional release)\b", re.IGNORECASE)
# A bare word left from a describing list ("a fresh, hot, puffy bursa"): a state, not a kind.
_NAMES_NOTHING = _words_of("hot warm cool fresh puffy swollen sore tight stiff")
_STOP = _words_of("a an the of for to and or in on at by with from its it is are be can may also this that these "
                  "those your you our their")


# A name the writer gives a thing: in brackets after what it is, or "… she calls it".
_NAME_GIVEN = re.compile(
    r"\b(?:strokes|practices|techniques?|exercises?|holds?|breathing|stretches)\s*"
    r"\((?P<name>[a-z][a-z -]{2,25}?)(?:,\s+(?:she|he|they|we|I)\s+calls?\s+(?:it|them))?\)"
    r"|(?:^|,\s+)(?P<called>[a-z][a-z -]{2,25}?),?\s+(?:she|he|they|we)\s+call(?:s|ed)?\s+(?:it|them)\b")


def find_techniques(sentences: list[Sentence], title: str = "") -> list[str]:
    """The named techniques or types of the therapy, in article order, each once (case-insensitive)."""
    found: list[str] = []
    title_words = _words(title)
    for sentence in sentences:
        if not sentence.is_heading:  # a heading is context ("Types of cold therapy"); the names sit below it
            for candidate in _candidates(sentence):
                _add(found, candidate, title_words)
    return found


def _candidates(sentence: Sentence) -> list[str]:
    text = re.sub(r"\s*\([^)]*\)", "", sentence.text)  # "gun fa (a rolling movement …)": the aside explains
    listed = _list_item(sentence)
    items = ([listed] if listed else []) + _listed(text)
    sub = sentence.headings[-1] if len(sentence.headings) > 1 else ""
    if sub and _TYPE_HEADING.search(sentence.headings[-2]) and len(sub.split()) <= 4 and "?" not in sub:
        items.append(sub)  # "### Swedish massage" under "## Types of massage"
    items += [m["name"] for m in _CAPITALISED_NAME.finditer(text)]
    items += [m[0] for m in _NAMED_TERM.finditer(text)]  # "long effleurage strokes": a term of the trade on its own
    # "long slow strokes (effleurage, she calls it)", "breathing practices (pranayama)", "ear seeds she called them"
    items += [m["name"] or m["called"] for m in _NAME_GIVEN.finditer(sentence.text)]
    if not _WARNING.search(text):  # "Neck manipulation may not be suitable if …" warns; "To book, call …" sells
        items += _headed_phrases(sentence.text)  # "(often known as the Alfredson protocol)" names one
    return items


def _listed(text: str) -> list[str]:
    items = [item for cue in _STRONG_CUES for match in [cue.search(text)] if match
             for item in _split(match["items"], combine=False)]
    match = _WEAK_CUE.search(text)
    if match:
        weak = _split(match["items"], combine=bool(re.match(r"comb|blend|draw", match["verb"], re.IGNORECASE)))
        # "we use X" may be any tool ("we use blocks and straps"): one named technique vouches for its list
        items += weak if any(_looks_named(item) and not _has_verb(item) for item in weak) else []
    return items


def _list_item(sentence: Sentence) -> str | None:
    """A list item under a "Types …"/"Choosing a …" heading or after "may include:" names one technique."""
    lead = sentence.lead or ""
    heading = sentence.headings[-1] if sentence.headings else ""
    if not sentence.list_item or not (re.search(r"\b(?:include|such as|options|we use|we offer)\s*:?$", lead, re.I)
                                      or _TYPE_HEADING.search(heading) or re.match(r"choos", heading, re.I)):
        return None
    label = _COLON_LABEL.match(sentence.text)
    if label:  # "Spinal manipulation: a quick, controlled movement …"
        return label["label"]
    whole = sentence.text.rstrip(".")
    first = _ITEM_END.split(" " + whole, maxsplit=1)[0].strip()
    named = re.split(r",\s|\s[-–—]\s", whole, maxsplit=1)[0]
    if re.search(r"\b(?:include|such as)\s*:?$", lead, re.I) and named != whole and len(named.split()) <= 4:
        return named  # "the chin tuck, swallowing with the chin lowered …": a name, then what it is
    # "Soft tissue work on the buttock …" names one; "Fill with hot water …" is an instruction
    return first if first == whole or _looks_named(first) else None


def _split(items: str, combine: bool) -> list[str]:
    """'A, B where …, and C' -> A, B, C: asides and relative clauses dropped, each item cut where its phrase ends."""
    items = re.sub(r"\b(and|or),\s*(?:where|if|when|for|depending)\b[^,]*,", r"\1 ", items)  # "and, if you prefer, C"
    items = re.sub(r",\s*(?:which|where|in which|who|whether|so that|because|although|if|when)\b.*?"
                   r"(?=,\s*(?:and|or|with|plus|while)\s|$)", "", items)
    paired = re.search(r",?\s+with\s+(?!(?:its|their|a|an|the|your|our)\b)", items)
    if combine and paired and " and " not in items[:paired.start()]:  # "combine A with B": both are techniques
        items = f"{items[:paired.start()]}, {items[paired.end():]}"
    out: list[str] = []
    carried = False  # "Hatha yoga for steady, gentle strength work and Iyengar yoga": the phrase ran on past the comma
    for segment in re.split(r",\s*", items):
        if carried and not re.match(r"(?:and|or)\s", segment):
            if " and " not in segment:
                continue  # still inside it: "using fine, sterile, single-use needles"
            segment = segment.split(" and ", 1)[1]
        parts = [p for p in re.split(r"\s+(?:and|or|as well as)\s+|^(?:and|or|as well as)\s+", segment) if p]
        cut = carried = None
        for part in parts:
            # after a cut, "… on the neck and upper back" is still the phrase, "… and a fan strip" a new item
            if (cut and not re.match(r"an?\s", part)) or _CLAUSE.match(part):
                continue
            part = " " + _LEADING.sub("", part)
            end = _ITEM_END.search(part)
            cut = end or cut
            if part[:end.start() if end else None].strip():
                out.append(part[:end.start() if end else None].strip())
            # "using fine," runs on; "with a physiotherapist," is complete (it has its determiner)
            carried = bool(end) and len(parts) == 1 and not re.search(r"\b(?:a|an|the|your|our|each|this)\s",
                                                                      part[end.start():])
    return out


def _headed_phrases(text: str) -> list[str]:
    """Noun phrases ending in a technique word, with a modifier that names the kind: "deep tissue massage"."""
    words = re.findall(r"\"[^\"]{1,20}\"|[\w'’-]+|[^\w\s]", text)
    phrases: list[str] = []
    for index, word in enumerate(words):
        pair = index + 1 < len(words) and _HEAD_WORD.match(f"{word} {words[index + 1]}")
        end = index + 1 + bool(pair)
        following = words[end].lower() if end < len(words) else ""
        if not (_HEAD_WORD.match(word) or pair) or _HEAD_WORD.match(following) or following in _FOLLOWER:
            continue  # "Swedish massage strokes" ends at "strokes"; "the hydrotherapy pool" is a pool
        if following == "of" and word.lower() in _COUNTING_HEADS:
            continue  # "a series of assisted stretches" counts them
        start = index
        while start > 0 and _modifier(words[start - 1]):
            start -= 1
        kinds = [i for i in range(start, index) if words[i].lower() not in _PLAIN]
        if word.lower() in _NAMED_ONLY:
            kinds = [i for i in kinds if words[i].startswith('"') or (words[i][0].isupper() and i > 0)]
        place = start > 0 and words[start - 1].lower() == "at" and all(w[0].isupper() for w in words[start:end])
        # "Reiki is a gentle, hands-on energy therapy" says what the therapy is, not one of its kinds
        defined = re.search(r"\b(?:is|are)\s+an?\b[^.;:]{0,30}$", " ".join(words[max(0, start - 8):start]), re.I)
        if (kinds or "-" in word) and not place and not defined:  # "At Northgate Acupuncture we …" names the clinic
            phrases.append(" ".join(words[start:end]))
    return phrases


def _modifier(word: str) -> bool:
    lower = word.lower()
    if lower in _NOT_MODIFIER or not re.match(r"\w|\".", word):
        return False
    if "-" not in word and (lower.endswith(("ly", "ed")) or (lower.endswith("ing") and len(lower) > 4
                                                              and lower not in _ING_MODIFIER)):
        return False  # "usually combine", "trained in", "using": not part of the name
    # "plays Tibetan singing bowls": a plain word in -s before the modifiers is a verb or a plural, not a modifier
    return not (re.fullmatch(r"[a-z]+[^s]s", word) and lower not in {"sports", "legs"})


def _has_verb(item: str) -> bool:
    return bool(_VERB.search(re.sub(r"\s+work$", "", item)))  # "trigger point work" is a kind of work, not the verb


def _looks_named(item: str) -> bool:
    """After a plain "we use …", an item must look like a technique's name, not "blocks" or "an elbow support"."""
    cleaned = _clean(item)
    words = cleaned.split()
    plain = len(words) > 1 and all(w.lower() in _PLAIN for w in words[:-1])  # "alternative poses" names no kind
    return bool(words) and (bool(_headed_phrases(cleaned)) or bool(_HEAD_WORD.match(words[-1]) and not plain)
                            or (len(words) > 1 and bool(_LIST_HEAD_WORD.match(words[-1])) and not plain)
                            or (len(words) == 1 and bool(_TECHNIQUE_SUFFIX.search(cleaned)))
                            or any(w[0].isupper() for w in words[1:]) or "-" in words[-1])


def _clean(item: str) -> str:
    item = item.strip(" .,;:") if item.count('"') == 2 else item.strip(" .,;:\"'“”")
    words = _LEADING.sub("", item).split()
    while len(words) > 1 and words[0].lower() in _VAGUE and (words[0].islower() or words[1].islower()):
        words = words[1:]  # "gentle Swedish massage" is Swedish massage; "Slow Flow classes" keep their name
    if len(words) > 2 and words[-1].lower() in {"close", "near"}:
        words = words[:-1]  # "cross-friction massage close to the tendon"
    if len(words) > 2 and words[-1].lower() in {"session", "sessions"}:
        words = words[:-1]  # "a line dancing session" is line dancing
    if len(words) > 1 and words[0].lower() in {"discuss", "try", "use", "using", "add", "wrap", "consider"}:
        words = words[1:]  # "we may discuss shockwave therapy": what is discussed is the technique
    return " ".join(words)


def _add(found: list[str], candidate: str, title_words: set[str]) -> None:
    item = _clean(candidate)
    words = _words(item)
    if not words or len(item.split()) > 5 or _has_verb(item) or _NOT_A_TECHNIQUE.search(item):
        return
    first = item.split()[0].lower()
    if first in _NOT_MODIFIER - {"a", "an", "the"} or item.endswith("ly") or first.endswith("ly") or (
            first.endswith("ing") and len(first) > 4 and first not in _ING_MODIFIER and not _HEAD_WORD.match(first)):
        return  # a verb phrase: "suggest an elbow support", "gently rolling the pelvis", "squatting down"
    if words <= title_words or words - _words("therapy treatment") <= title_words:
        return  # the therapy itself: "sports massage" in "Sports Massage for Runners", "mud therapy" for mud baths
    if len(item.split()) == 1 < len(_LEADING.sub("", candidate.strip()).split()) and not _looks_named(item):
        return  # "a weekly review" is no technique once "weekly" is gone; "gentle mobilisation" still is
    if re.fullmatch(r"(?i:(?:simple|easy|basic|home)\s+exercises?)|[a-z]+ed", item):
        return  # "simple exercises", "adapted": no kind named
    if (item.lower() in _GENERIC | _VAGUE | _NAMES_NOTHING or _CLASS_NOUN.search(item)
            or re.match(r"[a-z]+(?:al|ic|ive|ous|er)$", item)):
        return  # "treatment", "facial" (of "facial and neck gua sha"): names nothing alone
    # "classical Pilates" after "classical Pilates repertoire" is the same one; a lone "fa" may be "an fa" of "gun fa"
    if not any(words == known or (min(len(words), len(known)) > 1 and (words <= known or known <= words))
               for known in map(_words, found)):
        found.append(item)


def _words(text: str) -> set[str]:
    """Stemmed content words: "packs" and "pack", "mobilisations" and "mobilisation" are one."""
    return {_stem(w) for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 1}


def _stem(word: str) -> str:
    word = re.sub(r"(?<=...)(?<!s)s$", "", word)  # "legs", "packs", "mobilisations"; not "press"
    return re.sub(r"(?:ation|ing|ie|e)$", "", word) if len(word) > 4 else word
