"""The words and patterns the benefit extractor reads by: benefit verbs and the cues around them, the shapes
of lists, labels and headings, and the lexicons of therapy subjects, title noise and stopwords."""

from __future__ import annotations

import re

_VERB_WORDS = (
    "help|reduce|improve|relieve|ease|prevent|boost|promote|increase|lower|release|decrease|"
    "enhance|alleviate|strengthen|restore|support|calm|loosen|relax|speed|lessen|soothe|"
    "stimulate|encourage|aid|decompress|stretch|steady|sharpen|shorten|heal|protect|correct|"
    "stabilise|stabilize|mobilise|mobilize|lengthen|settle|train"
)
# Verbs that are a benefit only with the right object: "builds strength" is one, "builds a programme"
# is not; "gives you the confidence …", "takes weight off …", "shows you how …", "allows you to …".
_VERBS = _VERB_WORDS + (
    r"|build(?=s?\s+(?:up\s+)?(?:\w+\s+)?(?:strength|muscles?|stamina|endurance|confidence|resilience|bone)\b)"
    r"|give(?=s?\s+(?:\w+\s+){0,4}?(?:confidence|relief|back|freedom|energy|strength|power|control|independence)\b)"
    r"|bring(?=s?\s+(?:back|relief|down)\b)"
    r"|offer(?=s?\s+(?:\w+\s+){0,2}?relief\b)"
    r"|take(?=s?\s+(?:the\s+|some\s+)?(?:weight|pressure|load|strain|stress)\s+off\b)"
    r"|show(?=s?\s+(?:you|them|patients|people|clients)\s+how\b)"
    r"|teach(?=(?:es)?\s+(?:you|them|patients|people|clients)\b)"
    r"|(?P<enabler>allow|enable)(?=s?\s+(?:[\w-]+\s+){1,3}?to\s+[a-z])"
    r"|let(?=s?\s+(?:you|them|us|patients|people|clients|users|(?:many|most)\s+\w+)\s+(?!to\b|go\b)[a-z])"
)
_VERB_FORM = rf"(?P<verb>{_VERBS})(?:s|es)?"
_CUE = re.compile(
    rf"\b(?:(?:ability|potential|power|capacity) to|can(?: also)?|may(?: also)?|also|often|will)\s+{_VERB_FORM}\b"
    rf"|\b(?P<verb3>{_VERBS.replace('?P<enabler>', '?P<enabler3>')})(?:s|es)\b"
    # a plural subject takes the bare verb: "the classes give them …", "regular sessions ease …"
    rf"|\b(?:sessions|classes|treatments|exercises|needles|strokes|stretches|movements|drills|routines)\s+"
    rf"(?P<verb4>{_VERBS.replace('?P<enabler>', '?P<enabler4>')})\b",
    re.IGNORECASE,
)
# "Many people sleep better …", "Patients who … learn to move again", "you can … go back to work the same day":
# people doing something they could not, said of the therapy's outcome.
_PEOPLE_OUTCOME = re.compile(
    r"^(?:[^,]{0,60},\s*)?(?:(?:many|most|some|the)\s+)?(?:people|patients|clients|users|students|runners|athletes|you)\b"
    r"(?P<who>\s+who\b[^,.]*?)?\s+(?:(?:can|could|often|usually|soon|will|are able to|find (?:that )?they can)\s+)*"
    r"(?P<rest>(?!(?:should|must|need|needs|have|has|feel|may|might|are|is|were|will|can|could|would|often|usually)\b)"
    r"[a-z][^.;:]*)",
    re.IGNORECASE,
)
_OUTCOME = re.compile(r"\b(?:better|again|more (?:easily|freely|comfortably)|the same day|sooner|faster)\b", re.IGNORECASE)
_BENEFIT_LIST = re.compile(
    r"\bbenefits?\b[^.]*?\b(?:including|such as|like|include)\s+(?P<items>[^.]+)", re.IGNORECASE
)
_TYPE_LIST = re.compile(
    r"\b(?:types|kinds|forms|styles|techniques|methods|approaches|sessions|classes|settings|modes)\b"
    r"(?:(?: of\b)?[^.]*?(?:\b(?:including|such as|like|include)\s+|:\s+)|\s+are\s+)(?P<items>[^.]+)",
    re.IGNORECASE,
)
# Inside a "Types of …" section: "A, B and C are the most common" / "we use A, B and C" / "D is another option".
_TYPE_SUBJECT_LIST = re.compile(r"^(?P<items>[^.]*?,[^.]*?)\s+(?:are|were)\b")
_TYPE_OBJECT_LIST = re.compile(r"\b(?:use|uses|offer|offers|include|includes|practise|practice)\s+(?P<items>[^.]*,[^.]*)")
# "Our therapists offer A, B and C": the services a clinic offers, when they share the therapy's name.
_TYPE_OFFERED = re.compile(r"\b(?:offer|offers|provide|provides)\s+(?P<items>[^.]*,[^.]*?\band\b[^.]*)")
_TYPE_ANOTHER = re.compile(r"^(?P<items>[A-Z][\w' -]{2,40}?)\s+is\s+(?:another|also)\b")
_TYPE_ITEM_STOP = re.compile(r"^(?:depending|which|where|when|that|each|so|because|for|to|if)\b", re.IGNORECASE)
# A further benefit coordinated with the first: "eases A, loosens B and improves C".
_NEXT_VERB = re.compile(
    rf"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?=(?:{_VERBS})(?:s|es)?\b)(?!lower\s+(?:back|legs?|body|limbs?)\b)",
    re.IGNORECASE,
)
_BENEFIT_HEADING = re.compile(
    r"\b(?:benefits?|advantages?|reasons?|why\b|pros\b|what\b.*\b(?:offers?|can do|does|gives?)\b|how\b.*\bhelps?)",
    re.IGNORECASE,
)
_EXCLUDED_HEADING = re.compile(
    r"\b(?:signs?|symptoms?|causes?|risks?|cautions?|warnings?|when not|who should|side[- ]effects?|precautions?|"
    r"contraindications?|red flags?|mistakes?|safety|careful|when to see|before you|avoid|not suitable)\b",
    re.IGNORECASE,
)
_TYPE_HEADING = re.compile(r"\b(?:types?|kinds?|styles?|methods?|techniques?|forms?|approaches|options)\b", re.IGNORECASE)
# "Pain relief: Gentle adjustments can …" (a label of at most five words before a colon).
_COLON_LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?]{1,40}?):\s+(?=\S)")
_FINITE = re.compile(r"\b(?:is|are|was|were|can|may|will|should|do|does|has|have|it|they|we|you|i)\b", re.IGNORECASE)
# Benefit-shaped noun phrases: "Better balance", "Less swelling", "Faster recovery".
_ADJECTIVE_VERBS = {
    "better": "improves", "improved": "improves", "enhanced": "enhances", "less": "reduces", "fewer": "reduces",
    "lower": "lowers", "reduced": "reduces", "decreased": "reduces", "stronger": "strengthens",
    "faster": "speeds up", "quicker": "speeds up", "more": "increases", "greater": "increases",
    "increased": "increases", "easier": "eases", "deeper": "deepens", "calmer": "calms",
}
_BENEFIT_NOUN = re.compile(r"\b(?:relief|recovery|healing|relaxation|mobility|flexibility|strength|balance|sleep|circulation)\b", re.IGNORECASE)
# Where a benefit's phrase stops: the rest of the clause is explanation, not the point.
_CLAUSE_END = re.compile(
    r",|;|:|\s[-–—]\s|\s(?:which|that|where|by|when|while|because|so that|in the area|thereby|as well as)\s",
    re.IGNORECASE,
)
_CLAUSE_END_NO_COMMA = re.compile(
    r";|:|\s[-–—]\s|,?\s(?:which|that|where|by|when|while|because|so that|thereby|as well as)\s|,\s(?:so|but)\s",
    re.IGNORECASE,
)
_LIST_WORD = r"(?!(?:which|so|but|and|or|then|while|when|where|that)\b)(?![a-z]+ing\b)[a-z][\w'-]*"
_NOUN_LIST = re.compile(
    rf"^\s*[^,;:.]*?[a-z][\w'-]*(?:,\s+{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}){{1,4}},?\s+(?:and|or)\s+"
    rf"{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}(?=\s*(?:[.;:!?]|$))"
)
_ELABORATION = re.compile(r"^(?:this|these|that|those|it|they|such)\b", re.IGNORECASE)
_NOT_A_BENEFIT = re.compile(
    r"\b(?:should|consult|ask your|book|call us|contact|symptoms?|caused? by|occurs when|risk factors?|"
    r"shop|join our|sign up|subscribe|buy|order now|visit our|speak to your|talk to your|see your doctor)\b",
    re.IGNORECASE,
)
# "helps relax them": the object is a pronoun, so the phrase means nothing on its own.
_PRONOUN_OBJECT = re.compile(r"^(?:\w+\s+){1,3}(?:them|it|this|these|those)$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"^(?P<word>\w+ed)\s+(?P<rest>.+)$", re.IGNORECASE)
_STOPWORDS = frozenset(
    "a an the of for to and or in on at by with from its it is are be can may also helps help "
    "your you our their this that these those more less".split()
)
_MAX_POINT_WORDS = 10
# A benefit is claimed for the therapy: the words before the cue must name it (or a session of it).
_THERAPY_WORDS = frozenset(
    "therapy therapies treatment treatments massage massages session sessions practice technique techniques "
    "acupuncture yoga physiotherapy chiropractic stretching exercise exercises care "
    "benefit benefits advantage advantages "
    # the parts of a therapy that do its work: "the warm water", "gentle pressure", "soft tissue work"
    "water warmth heat cold ice pressure buoyancy needle needles stroke strokes work mobilisation mobilization "
    "stretch stretches movement movements routine routines programme programmes program programs class classes "
    "course courses drills pulling rolling training".split()
)
_TITLE_NOISE = frozenset("how why what the benefits benefit of for and with can your you ways to a an in on".split())
# "helps people living with …" says nothing; "helps you return to sport" does.
_VAGUE_OBJECT = re.compile(
    r"^\w+\s+(?:(?:some|many|most)\s+)?(?:people|you|patients|clients|many|those|sufferers|anyone)\b(?P<next>\s+\w+)?",
    re.IGNORECASE,
)
_VAGUE_NEXT = frozenset("with who in of for at on and or".split())


# The benefit verbs' base forms, and those that enable a person to do something ("lets you …").
_BASE = frozenset(_VERB_WORDS.split("|")) | {"build", "give", "bring", "offer", "take", "show", "teach", "allow", "let", "enable"}
_ENABLERS = frozenset({"allow", "let", "enable"})
_ENABLED_OBJECT = re.compile(
    r"^\s*(?P<object>(?:[\w-]+\s+){0,2}?[\w-]+)\s+to\s+(?=[a-z])"  # allows/enables X to …
    r"|^\s*(?P<let>(?:(?:many|most)\s+)?[\w-]+)\s+(?=[a-z])",  # lets X …
    re.IGNORECASE,
)
# "allows new mothers to rest" reads "lets you rest"; "allows the tissue to heal" keeps its object.
_PEOPLE = re.compile(
    r"(?:^|\s)(?:you|them|us|people|patients|clients|users|mothers|parents|athletes|runners|students|adults|"
    r"children|women|men|workers|players|everyone)$", re.IGNORECASE)
