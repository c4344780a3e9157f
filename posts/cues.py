"""The words and patterns the benefit extractor reads by: benefit verbs and the cues around them, the shapes
of lists, labels and headings, and the lexicons of therapy subjects, title noise and stopwords."""

from __future__ import annotations

import re

# A comparative adjective ("looser", "steadier"), not a word that only ends like one.
_ER = (r"(?!(?:rather|other|either|neither|whether|ever|never|over|under|after|later|together|water|shoulder|finger|"
       r"number|paper|power|corner|centre|center|winter|summer|matter|order|member|partner)\b)[a-z]{3,}er")

_VERB_WORDS = (
    "help|reduce|improve|relieve|ease|prevent|boost|promote|increase|lower|release|decrease|"
    "enhance|alleviate|strengthen|restore|support|calm|loosen|relax|speed|lessen|soothe|"
    "stimulate|encourage|aid|decompress|stretch|steady|sharpen|heal|protect|correct|"
    "stabilise|stabilize|mobilise|mobilize|lengthen|settle|train|limit|"
    # the wider vocabulary clinic writers use for the same effects
    "deepen|quiet|quieten|soften|drain|clear|widen|lift|firm|unlock|retrain|rebuild|reset|melt|soothe|"
    "nourish|refresh|energise|energize|revive|regulate|realign|straighten|brighten|comfort|reassure|dampen|"
    "minimise|minimize|repair|free|awaken|invigorate|unknot|untangle|declutter|recharge|reawaken|rebalance|narrow|"
    "speed up|hasten|quicken|revitalise|revitalize|rehydrate|detangle|flatten|smooth|lighten|dissolve|unblock|"
    "lubricate|hydrate|elevate|energise|energize|enliven|uplift|renew|rejuvenate|regenerate|mend|re-educate|align|"
    "normalise|normalize|curb|dull|numb|desensitise|desensitize|expand|empower|counteract|combat|"
    "break up|loosen up|open up|free up|calm down|wind down"
)
# Verbs that are a benefit only with the right object: "builds strength" is one, "builds a programme"
# is not; "gives you the confidence …", "takes weight off …", "shows you how …", "allows you to …".
_VERBS = _VERB_WORDS + (
    # "build grip and upper back strength", not "build a plan around your strength"
    r"|build(?=s?\s+(?:up\s+)?(?:(?!(?:around|on|into|with|for|to|in|from|of)\b)[\w-]+\s+){0,4}?"
    r"(?:strength|muscles?|stamina|endurance|confidence|resilience|bone|concentration|focus|fitness)\b)"
    # "it gave us a calmer baby and calmer parents"
    r"|give(?=s?\s+(?:you|us|them|her|him|me)\s+(?:a\s+)?(?:calmer|happier|better|more\s+settled|more\s+relaxed)\b)"
    r"|give(?=s?\s+(?:\w+\s+){0,8}?(?:confidence|relief|back|freedom|energy|strength|power|control|independence|"
    r"(?:a\s+)?(?:sense|feeling)\s+of|purpose|hope|time|an hour|space|a break)\b)"
    r"|bring(?=s?\s+(?:back|relief|down)\b)"
    r"|offer(?=s?\s+(?:(?:\w+\s+){0,2}?relief\b|an?\s+(?:[\w-]+\s+)?way\s+to\s))"
    r"|take(?=s?\s+(?:some\s+of\s+|so\s+much\s+|a\s+lot\s+of\s+)?(?:the\s+|some\s+)?"
    r"(?:weight|pressure|load|strain|stress|edge)\s+off\b)"
    r"|show(?=s?\s+(?:you|them|patients|people|clients)\s+how\b)"
    r"|teach(?=(?:es)?\s+(?:you|them|patients|people|clients|the\s+(?:brain|body|muscles?|nerves?))\b)"
    r"|keep(?=s?\s+(?:[\w-]+\s+){0,7}?(?:moving|mobile|flexible|supple|steady|strong|active|healthy|loose|looser|"
    r"limber|working|going|upright|calm|relaxed|pain-free|independent|on track|in shape|"
    r"on your feet|down|under control|at bay|"
    r"in check)\b)"
    r"|make(?=s?\s+(?:[\w-]+\s+){0,4}?(?:milder|easier|lighter|shorter|less|fewer|smoother|safer|stronger|calmer|"
    r"looser|freer|fuller|steadier|softer|clearer|quieter|sharper|healthier|happier|straighter|taller|deeper|"
    r"more comfortable|more manageable|more bearable|more effective|comfortable|possible|bearable|again|realistic|"
    r"achievable|manageable)\b)"
    r"|put(?=s?\s+(?:\w+\s+)?less\s+(?:stress|strain|pressure|load|weight)\s+on\b)"
    r"|(?:avoid|delay)(?=s?\s+(?:or\s+(?:avoid|delay)\s+)?(?:the\s+)?(?:need\s+for\s+)?(?:surgery|an operation|"
    r"injections?|a joint replacement)\b)"
    # "may slow age-related bone loss", not "slow the pace"
    r"|slow(?=s?\s+(?:down\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}(?:loss|decline|progression|deterioration|wear)\b)"
    r"|slow(?=s?\s+(?:down\s+)?(?:the\s+|your\s+)?(?:heart\s*rate|breathing|pulse|racing\s+thoughts)\b)"
    # "shortens recovery time", not "sitting shortens the hip flexors"
    r"|shorten(?=s?\s+(?:the\s+|your\s+|that\s+)?(?:overall\s+|total\s+)?(?:recovery|time|timeline|healing|course|"
    r"wait|attacks?|episodes?|"
    r"headaches?|flare-ups?)\b)"
    r"|guide(?=s?\s+(?:you|them|patients|people|clients)\s+back\b)"
    r"|leave(?=s?\s+(?:(?:most|many|some)\s+)?(?:you|them|people|patients|clients|your\s+[\w-]+|the\s+[\w-]+|"
    r"muscles|joints|riders|runners|players|athletes|members|patients)\s+(?:feeling\s+)?"
    r"(?:both\s+|much\s+|noticeably\s+)?(?:" + _ER + r"|more|less|relaxed|refreshed|rested|energi[sz]ed|soft|"
    r"loose|calm)\b)"
    r"|mean(?=s?\s+(?:a\s+)?(?:far\s+|much\s+)?(?:fewer|less|more|better|faster|quicker|shorter|lower|easier|calmer|"
    r"deeper)\b)"
    r"|cut(?=s?\s+(?:down\s+)?(?:the\s+|your\s+)?(?:risk|pain|recovery|time|swelling|number|chance|disability|"
    r"nausea|dizziness|headaches?)\b)"
    r"|get(?=s?\s+(?:(?:most|many)\s+)?(?:you|people|patients|them|athletes|runners|clients|me|him|her)\s+"
    r"(?:back|moving|walking|"
    r"sleeping|closer)\b)"
    # "draw pain out of the leg and back towards the spine" (centralisation)
    r"|draw(?=s?\s+(?:the\s+)?pain\b)"
    # a verb and its particle conjugate apart: "cools down legs that feel on fire", "breaks up scar tissue"
    r"|cool(?=s?\s+down\b)|break(?=s?\s+up\b)|open(?=s?\s+up\b)|wind(?=s?\s+down\b)"
    r"|warm(?=s\s+(?:up\s+)?(?:the\s+|your\s+|cold\s+|stiff\s+|tight\s+)?\w+)"
    r"|wake(?=s?\s+up\s+(?:the\s+|your\s+)?(?:[\w-]+\s+){0,2}(?:muscles?|glutes|core)\b)"
    r"|(?P<enabler>allow|enable)(?=s?\s+(?:[\w-]+\s+){1,3}?to\s+[a-z])"
    r"|let(?=s?\s+(?:you|them|us|patients|people|clients|users|(?:many|most)\s+\w+)\s+(?!to\b|go\b)[a-z])"
)
_VERB_FORM = rf"(?P<verb>{_VERBS})(?:s|es)?"
_CUE = re.compile(
    rf"\b(?:(?:ability|potential|power|capacity) to|can(?: also| gradually| often| quickly| really)?|may(?: also)?|"
    rf"should(?: also)?|could(?: also)?|might|"
    rf"also|often|will|(?:really\s+)?did|"
    rf"(?:tends?|seems?|starts?|begins?|is likely|are likely|(?:has|have) been shown|"
    rf"(?:is|are) (?:also )?known) to)\s+{_VERB_FORM}\b"
    # "a regular dip has eased their symptoms"
    rf"|\b(?:has|have)\s+(?:\w+ly\s+|also\s+)?(?P<verb5>{_VERB_WORDS})(?:d|ed)\b"
    rf"|\b(?P<verb3>{_VERBS.replace('?P<enabler>', '?P<enabler3>')})(?:s|es)\b"
    # a plural subject takes the bare verb: "the classes give them …", "regular sessions ease …"
    rf"|\b(?:sessions|classes|treatments|exercises|needles|strokes|stretches|movements|drills|routines|we|they|"
    rf"therapists|"
    rf"twists|openers|poses|holds|sequences|flows|forms|moves|postures|positions|practices|programmes|"
    rf"physios|physiotherapists|practitioners|teachers|hands|stones|cups|strips|techniques|therapies|lessons)\s+"
    rf"(?:(?:also|often|gently|usually|can|may|will|\w+ly)\s+)?"
    rf"(?P<verb4>{_VERBS.replace('?P<enabler>', '?P<enabler4>')})\b",
    re.IGNORECASE,
)
# "Many patients find that leg pain and tingling settle …": a symptom that eases, said of the therapy's outcome.
_SYMPTOM = (r"(?:pain|aches?|aching|tingling|stiffness|swelling|tension|soreness|spasms?|numbness|dizziness|headaches?|"
            r"symptoms?|cramps?|cramping|discomfort|fatigue|anxiety|stress|inflammation|puffiness|knots?|tightness|"
            r"heaviness|fluid|worry|worries|nausea|restlessness|bruising|bruises|scarring|redness|itching|itchiness|"
            r"leaking|leaks|migraines?|attacks|flare-ups?|episodes|chatter|racing thoughts|thoughts|fog|"
            r"urges?|itch(?:es)?|agitation|tenderness|burning|grinding|clenching|fullness|full feeling|heavy feeling|"
            r"tight feeling|tug|tugging|twinges?|niggles?|twitching|twitches|tantrums|meltdowns|outbursts|nightmares|"
            r"flushes|night sweats)")
_SYMPTOM_EASES = re.compile(
    rf"(?P<what>(?:[\w'\"\u201c-]+,?\s+){{0,3}}?{_SYMPTOM}[\"\u201d]?"
    rf"(?:\s+(?:and|or)\s+(?:[\w'-]+\s+){{0,2}}?{_SYMPTOM})?"
    r"(?:\s+(?:after|in|around|from|of|on|at|down|across|along|through|into|to|about|during|behind|under|near)\s+"
    r"(?:[\w'-]+\s+){0,2}?[\w'-]+){0,2}"
    r"(?:\s+when\s+(?-i:I|you|he|she|they)\s+[a-z]+(?:\s+(?:things|it|them|anything|something))?)?)"
    # "the knot that had lived between my shoulder blades for years finally loosened"
    r"(?P<relative>\s+(?:(?:that|which)\s+(?:used to|had|has)|"
    r"(?-i:he|she|I|they|you)\s+(?:had|used to have|used to get|got|gets))\b"
    r"[^,.;:]{1,60}?)?\s+"
    r"(?:(?:often|usually|[a-z]+ly|soon|start to|starts to|begin to|begins to|tend to|"
    r"tends to|can|will|should|has|have|had|pretty much|all but|almost|nearly|more or less)\s+)*"
    r"(?P<verb>settle|ease|fade|subside|improve|lift|disappear|(?:go|goes|went) down|calm(?:s|ed)? (?:right )?down|"
    r"loosen|drop|lessen|"
    r"clear|melt(?:s|ed)? away|quieten|gone|is the first thing to (?:go|ease|settle)|ease(?:s|d)? off|melt|shrink|"
    r"(?:is|are|was|were)\s+(?:much\s+|a lot\s+|far\s+)?better|"
    r"die(?:s|d)? down|wear(?:s)? off|(?:come|happen|occur|return|flare up|strike)s?\s+(?:along\s+|on\s+)?"
    r"(?:far\s+|much\s+)?"
    r"less\s+(?:often|frequently))(?:s|es|ed|d)?\b(?P<rest>[^,.;:]*)",
    re.IGNORECASE,
)
_EASES_AS = {"gone": "clears", "is the first thing to go": "eases", "is the first thing to ease": "eases",
             "is the first thing to settle": "settles", "less often": "reduces", "less frequently": "reduces",
             "fade": "eases", "subside": "eases", "improve": "eases", "disappear": "clears", "go down": "reduces",
             "calm down": "calms", "drop": "reduces", "melt": "melts away", "ease off": "eases", "shrink": "reduces",
             "die down": "calms", "wear off": "eases"}
# People named by what they do ("riders", "cyclists", "climbers"), not body parts or things that end the same way.
_DOERS = (r"(?!(?:shoulders|fingers|numbers|flowers|layers|papers|filters|markers|powers|waters|others|"
          r"centers|letters)\b)[a-z]+(?:ers|ists)")
_PEOPLE_FIND = re.compile(
    r"\b(?:people|patients|clients|mothers|parents|women|men|members|attendees|pupils|athletes|runners|regulars|"
    r"participants|students|learners|users|sufferers|mums|mums-to-be|some|you|many|most|they|residents|children|kids|"
    r"(?-i:a few|A few)|several|"
    r"families|staff|carers|nurses|teachers|" + _DOERS + r")\s+(?:\w+\s+){0,6}?"
    # "the first thing most patients notice is that …"; "our care staff have commented that …"
    r"(?:find|notice|noticed|report|say|feel|tell us|tell me|told (?:us|me)|mention|commented|observed)\s+"
    r"(?:\([^)]{1,30}\)\s+)?"
    r"(?:(?:is|was)\s+)?(?:that\s+)?",
    re.IGNORECASE)
# "studies of older dancers have found fewer falls": evidence the article cites for an outcome.
_EVIDENCE_FINDS = re.compile(
    r"\b(?:studies|research|trials|evidence)\b[^,.;]{0,40}?\b(?:have\s+|has\s+)?(?:found|show|shows|shown|suggest|"
    r"suggests|reported|report)\s+(?:that\s+)?(?P<what>(?:fewer|less|more|better|lower|improved|reduced|reductions? in|"
    r"improvements? in)\b[^,.;]*)", re.IGNORECASE)
# "Clients tell us their sleep improves", "most clients find a session deeply relaxing".
_GOOD_IMPROVES = re.compile(
    r"(?:(?:after|within|over|by)\s+[^,]{1,30}?,?\s+)?"  # "after a few sessions their baby settles …"
    r"(?:their|your|his|her|the)\s+(?P<what>(?:[\w'-]+\s+){0,2}?[\w'-]+)\s+(?:(?:often|usually|soon|quickly|also)\s+)*"
    r"(?P<also>[a-z]+s\s+and\s+)?"  # "their breathing slows and deepens"
    r"(?P<verb>improves?|gets? better|deepens?|returns?|comes? back|recovers?|lifts?|brightens?|settles?|calms? down|"
    r"loosens?(?: up)?|heals?)\b(?P<rest>[^,.;:]*)",
    re.IGNORECASE)
# "their baby feeds more calmly": someone close to the person does something better (an outcome word follows)
_GOOD_DOES = re.compile(
    r"(?:(?:after|within|over|by)\s+[^,]{1,30}?,?\s+)?(?:their|your)\s+(?P<what>baby|child|children|little one|toddler|"
    r"dog|partner|jaw|neck|back|knees?|hips?|shoulders?|legs|joints|muscles|body|skin|bowels|stomach)\s+"
    r"(?P<verb>[a-z]+s(?:\s+and\s+[a-z]+s)?(?:\s+(?:asleep|off|through))?)\b"
    r"(?P<rest>\s+(?:more|less|better|far|much)\b(?![^,.;:]*\b(?:un[a-z]+|worse|fussier)\b)[^,.;:]*)", re.IGNORECASE)
_FINDS_IT = re.compile(
    r"(?:a|each|every|the|their|our|this)?\s*(?:session|treatment|massage|class|it)s?\s+(?P<how>(?:\w+ly\s+)?"
    r"(?:relaxing|calming|soothing|restful|refreshing|energi[sz]ing|comforting|reassuring|uplifting|restorative|"
    r"helpful|freeing))\b(?P<rest>[^,.;:]*)", re.IGNORECASE)
# "Tight, heavy limbs feel lighter", "the skin becomes softer", "turning your head gets easier".
_COMPARATIVE = (rf"(?:(?:\w+ly\s+)?(?:{_ER}|more\s+[a-z]+|less\s+[a-z]+|(?:much\s+|far\s+)?less of an?\s+[a-z]+|"
                rf"(?:possible|manageable|comfortable|easy|enjoyable)\s+again))")
_BECOMES = re.compile(
    rf"^(?P<what>[^;:]{{3,70}}?)\s+(?:(?:often|usually|soon|quickly|also|can|will|should)\s+)*"
    rf"(?P<verb>(?:has\s+|have\s+|had\s+)?become|becomes|became|becoming|feels?|felt|gets?|got|getting|grows?|growing|"
    rf"turns?|looks?|is|are|was|were)\s+"
    rf"(?P<adj>{_COMPARATIVE}(?:(?:,\s*|\s+and\s+){_COMPARATIVE})*)\b(?P<rest>[^,;:]*)",
    re.IGNORECASE)
# "Most athletes report lighter, looser legs", "clients enjoy deeper sleep": people name what they gain.
_PEOPLE_REPORT = re.compile(
    r"(?<!help )(?<!helps )(?<!let )(?<!lets )(?<!make )(?<!makes )"
    r"\b(?:people|patients|clients|athletes|runners|pupils|mothers|mums|women|men|users|"
    r"regulars|attendees|residents|you|some|staff|carers|nurses|teachers|parents|students|members|participants|"
    r"others|many|most|several|(?-i:I|she|he|She|He|they)|" + _DOERS + r")\s+"
    r"(?:\w+\s+|[a-z]+ing\s+(?:[\w-]+\s+){0,2}?)?(?:who\s+[^,.;:]{1,50}?\s+)?"
    r"(?P<saw>report|notice|enjoy|experience|feel|gain|get|see|have|describe|"
    r"mention|reported|noticed|enjoyed|experienced|felt|gained|had|saw|described|mentioned|recorded|observed|seen)\s+"
    r"(?P<what>[^.;:]+)",
    re.IGNORECASE)
# "Athletes use cupping to recover between hard sessions".
_PEOPLE_USE_TO = re.compile(
    r"\b(?:people|patients|clients|athletes|runners|pupils|mothers|mums|women|men|users|many|you)\s+(?:\w+\s+)?"
    # "plenty of my mums say they used it to stay calm in early labour"
    r"(?:(?:say|said|tell us|tell me|told (?:us|me))\s+(?:that\s+)?they\s+)?"
    r"(?:use|used|choose|try|turn to|book)\s+(?:[\w-]+\s+){1,4}?to\s+(?P<what>[a-z][^.;:]*)", re.IGNORECASE)
# "…, so you can keep training while you recover": what the therapy lets people do.
_SO_YOU_CAN = re.compile(
    r"\b(?:so|means?)\s+(?:that\s+)?(?:over\s+[\w ]{1,20}?,?\s+)?"
    r"(?:(?P<you>you)\s+(?:can\s+|could\s+|are able to\s+|(?:may|might) be able to\s+)?|"
    # "so they get better sleep": people, when the verb is one people do ("so they sit lower" is the shoulders)
    r"(?P<they>they)\s+(?:can\s+|could\s+|are able to\s+)?(?=(?:get|sleep|feel|move|walk|cope|manage|recover|"
    r"return|train|play|run|wake|stay|keep)\b)|"
    r"(?P<who>[\w-]+(?:\s+[\w-]+){0,7}?)\s+(?:can|could|are able to)\s+)"
    r"(?P<what>[a-z][^,.;:]*)", re.IGNORECASE)
# "your breathing tends to slow", "your heart rate comes down": the body settling, said of a session.
_BODY_SETTLES = re.compile(
    r"\b(?:your|their|the)\s+(?P<what>breathing|breath|heart rate|pulse|blood pressure|mind|thoughts|nervous system|"
    r"muscles|body|shoulders|jaw|(?:[\w-]+,?\s+){0,2}?(?:tissue|skin|scar|joints?|limbs?|legs|neck))\s+"
    r"(?:(?:tends?\s+to|starts?\s+to|begins?\s+to|often|usually|gradually|soon|will)\s+)*"
    r"(?P<verb>slows?(?:\s+down)?|comes?\s+down|drops?|settles?|steadies|steady|calms?(?:\s+down)?|quietens?|"
    r"relax(?:es)?|deepens?|softens?|lets?\s+go|unwinds?|eases?|loosens?|heals?)\b", re.IGNORECASE)
# "the attacks they do have are less intense": a symptom made milder.
_SYMPTOM_MILDER = re.compile(
    rf"(?P<what>\b(?:(?!(?:is|was|that|find|finds|say|says|notice|report|tell)\b)[\w'-]+\s+){{0,3}}?{_SYMPTOM})\s+"
    rf"(?:[a-z]+\s+){{0,3}}?"
    rf"(?:are|is|become|becomes|get|gets|feel|feels)\s+"
    r"(?P<adj>(?:much\s+|far\s+|\w+ly\s+)?(?:less\s+\w+|milder|shorter|weaker|rarer|fewer|looser|easier to \w+))",
    re.IGNORECASE)
# A benefit verb in its bare form, for a plural or compound subject ("steady breathing calm …").
_BARE_VERB = re.compile(rf"\b(?P<verb>{_VERB_WORDS})\b(?!\s+(?:of|to|and|or)\b)", re.IGNORECASE)
# "Many people sleep better …", "Patients who … learn to move again", "you can … go back to work the same day":
# people doing something they could not, said of the therapy's outcome.
_PEOPLE_OUTCOME = re.compile(
    # "…, but many say …", "Clear information helps: patients who …", "Over the weeks our regulars …"
    r"^(?:and\s+|but\s+|so\s+)?(?:[^,:]{0,60}[,:]\s*(?:but\s+|and\s+|yet\s+)?|"
    r"(?:over|after|within|by)\s+(?:the|a|an|few|several)\s+\w+(?:\s+of\s+(?:a|the|your|their)\s+\w+)?\s+)?"
    r"(?:(?:many|most|some|several|the|our|new|expectant|regular|a(?: good| large)? number|lots|loads|a lot|"
    r"plenty|a few)\s+"
    r"(?:of\s+(?:(?:our|the|your|these)\s+)?)?(?:[a-z-]+\s+)?)?(?:them\s+(?=(?:also\s+)?(?:say|tell)))?"
    r"(?:(?:club|local|keen|older|younger|amateur|elite|weekend|regular|new)\s+)?"
    r"(?:people|patients|clients|users|students|"
    r"attendees|regulars|"
    r"runners|athletes|pupils|learners|members|participants|mothers|mums|mums-to-be|parents|women|men|workers|players|"
    r"swimmers|golfers|dancers|cyclists|walkers|adults|seniors|children|kids|residents|sufferers|you|(?<=of )them|"
    r"lads(?: and lasses)?|guys|folk|folks|"
    + _DOERS + r"|"
    r"(?:many|most|some|several|others|quite a few|a few|a (?:good|large) number|they|"
    r"(?:almost\s+|nearly\s+)?(?:everyone|everybody|all of them))"
    r"(?=\s+(?:also\s+|\w+ly\s+)?(?:(?:have|has)\s+)?(?:find|found|say|said|report|reported|notice|noticed|"
    r"tell|told|mention|feel\s+they)))\b"
    r"(?:\s+with\s+(?:[\w-]+\s+){0,3}?[\w-]+"
    r"(?=\s+(?:(?:\w+ly|often|also)\s+)?(?:say|tell|told|find|report|notice|mention)))?"
    r"(?P<who>\s+who\b[^,.]*?)?\s+(?:(?:can|could|[a-z]+ly|often|soon|also|will|are able to|"
    r"(?:may|will|might|could)\s+(?:find|notice|discover)(?: that)? (?:you|they)(?: can)?|"
    r"(?:(?:have|has)\s+)?(?:say|said|find|found|tell (?:us|me)|told (?:us|me)|report|reported|notice|noticed|mention|"
    r"mentioned|add|agree|feel)(?: that)?,?(?: (?:on|after|in|at|within|by|over|from)\b[^,.;]{0,45}?,?|"
    # "once they start wearing it in bed, they …": a clause with its own subject ends at its comma
    r" (?:when|once)\s+(?:they|you|we|people|patients)\s+[^,.;]{3,45}?,?)?"
    r" they(?: can| are| were)?)\s+)*"
    # "feel" only with how they feel ("feel calmer"), not "feel a twitch"
    # "Many patients are off crutches sooner" is an outcome; "patients are referred …" is not
    r"(?P<rest>(?!(?:should|must|need|needs|have|has|may|might|"
    r"are(?!\s+(?:off|back|(?:also\s+)?less likely)\b)|is|were|will|"
    r"can|could|would|"
    r"often|usually|"
    r"(?:\w+ly\s+|also\s+)?(?:find|say|tell|report|notice|mention|describe))\b)"
    r"(?!feels?\s+(?!(?:\w+ly\s+)?(?:a (?:bit|little|lot)\s+)?(?:" + _ER
    + r"|more|less|relaxed|rested|refreshed|energi[sz]ed|confident)\b))"
    r"[a-z][^.;:]*)",
    re.IGNORECASE,
)
_OUTCOME = re.compile(
    r"\b(?:better|again|taller|straighter|less|fewer|more \w+|feel(?:s|ing)?\s+(?:\w+ly\s+)?" + _ER + r"|"
    r"with (?:more |greater )?ease|stop \w+ing|calmer|lighter|looser|stronger|steadier|relaxed|rested|refreshed|"
    r"energi[sz]ed|freer|the same day|sooner|faster|"
    r"through the night|sleep through|leaves? (?:you |them )?feeling (?!(?:sore|worse|tender|bruised|achy)\b)|"
    r"without (?:waking|pain|help|a stick|aids?|discomfort|leaking|a flare-up|flaring|a twinge|wincing|holding|using)|"
    r"higher|further|feel (?:more |so much more )?confident|"
    r"get back to|back to (?:work|sport|running|training|the gym)|cut (?:back|down) on|come off|stop taking|"
    r"independently|on their own|comfortably|with ease|easier|for (?:much |far )?longer|without needing to|"
    r"without (?:that |the |any )?(?:stiff|sore|tight|aching|painful|nagging))\b", re.IGNORECASE)
_BENEFIT_LIST = re.compile(
    r"\bbenefits?\b[^.]*?\b(?:including|such as|like|include)\s+(?P<items>[^.]+)", re.IGNORECASE
)
_TYPE_LIST = re.compile(
    r"\b(?:types|kinds|forms|styles|techniques|methods|approaches|sessions|classes|settings|modes|programmes|programs|"
    r"options|variations|versions|treatments)\b"
    # "Sessions are slow and quiet" describes; "the main types are A and B" names
    r"(?:(?: of\b)?[^.]*?(?:\b(?:including|such as|like|include)\s+|:\s+)|(?<=types|kinds|forms|tyles)\s+are\s+)"
    r"(?P<items>[^.]+)",
    re.IGNORECASE,
)
# Inside a "Types of …" section: "A, B and C are the most common" / "we use A, B and C" / "D is another option".
_TYPE_ITEM_STOP = re.compile(
    r"^(?:depending|which|where|when|that|each|so|because|for|to|if|usually|often|alongside|together|plus|as well)\b",
    re.IGNORECASE)
# A further benefit coordinated with the first: "eases A, loosens B and improves C".
_NEXT_VERB = re.compile(
    # "… and makes bending less painful" says how, not a further benefit: make/mean do not start one.
    rf"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?!mean)(?!make(?!s?\s+(?:[\w-]+\s+){{1,3}}feel\b)))"
    # "… and can help stop them drifting"; "steadied" became "steadies", which -es does not reach
    rf"(?:(?:can|may|will|also|often)\s+)?(?=(?:{_VERBS})(?:s|es)?\b|steadies\b)"
    r"(?!lower\s+(?:back|legs?|body|limbs?)\b)",
    re.IGNORECASE,
)
_BENEFIT_HEADING = re.compile(
    r"\b(?:benefits?|advantages?|reasons?|why\b(?!.*\b(?:hurts?|aches?|pain|happens?|gets?|causes?|stiff|sore)\b)|"
    r"pros\b|goals?\b|results\b|outcomes?\b|gains?\b|good for\b|"
    r"(?:notice|noticed|noticing|report|enjoy|love|tell us about|get(?:ting)? out of|got out of)\b|"
    r"what\b.*\b(?:offers?|can do|does|do for|did for|has done|have done|gives?|gave|brings?|changes?|"
    r"achieves?|can achieve)\b|"
    r"what\b(?!\s+to\b).*\bdo\s*$|how\b.*\b(?:helps?|can help|works? for)\b)",
    re.IGNORECASE,
)
_EXCLUDED_HEADING = re.compile(
    r"\b(?:signs?|symptoms?|causes?|risks?|cautions?|warnings?|when not|who should|side[- ]effects?|precautions?|"
    r"contraindications?|red flags?|mistakes?|safety|careful|when to see|before you|avoid|not suitable|"
    # how a session runs, what it costs: procedure and logistics, not what the therapy does
    r"what happens|what to expect|during (?:a|your|the) (?:session|treatment|visit|appointment)|how it works|procedure|"
    r"first (?:appointment|visit|session)|aftercare|after your|prices?|pricing|costs?|fees|booking|how to book|"
    r"opening hours|getting here|what to (?:wear|bring))\b",
    re.IGNORECASE,
)
_TYPE_HEADING = re.compile(r"\b(?:types?|kinds?|styles?|methods?|techniques?|forms?|approaches|options)\b",
                           re.IGNORECASE)
# "Pain relief: Gentle adjustments can …" (a label of at most five words before a colon).
_COLON_LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?]{1,40}?):\s+(?=\S)")
_FINITE = re.compile(r"\b(?:is|are|was|were|can|may|will|should|do|does|has|have|it|they|we|you|i)\b", re.IGNORECASE)
# Benefit-shaped noun phrases: "Better balance", "Less swelling", "Faster recovery".
_ADJECTIVE_VERBS = {
    "better": "improves", "improved": "improves", "enhanced": "enhances", "less": "reduces", "fewer": "reduces",
    "lower": "lowers", "reduced": "reduces", "decreased": "reduces", "stronger": "strengthens",
    "faster": "speeds up", "quicker": "speeds up", "more": "increases", "greater": "increases",
    "increased": "increases", "deeper": "deepens", "calmer": "calms", "extra": "increases",
}
_BENEFIT_NOUN = re.compile(
    r"\b(?:relief|recovery|healing|relaxation|mobility|flexibility|strength|balance|sleep|circulation|confidence|"
    r"comfort|freedom|energy|independence|calm|posture|movement|range of motion|control|support)\b", re.IGNORECASE)
# Where a benefit's phrase stops: the rest of the clause is explanation, not the point.
_CLAUSE_END = re.compile(
    # "… and the buoyancy of the pool takes weight off": a new subject and its verb start a new clause
    r"\sand\s+(?=(?:the|a|an|your|its|their)\s+[\w-]+(?:\s+[\w-]+){0,4}\s+[a-z]+s\b(?!\s+(?:and|or)\b))|"
    # "… stand taller and my upper back ache has pretty much gone", "… and I came out of every class …"
    r"\sand\s+(?=(?-i:I)\s+(?:came|come|feel|felt|sleep|slept|can|could|am|was|now|no longer)\b|"
    r"(?:my|your)\s+(?:[\w-]+\s+){0,4}?(?:has|have|had|is|was)\s+(?:\w+\s+){0,2}?"
    r"(?:gone|eased|settled|disappeared|vanished|faded|improved|better)\b)|"
    r",|;|:|\s[-–—]\s|\s(?:which|by|while|because|so that|in the area|thereby|as well as)\s|"
    # "without that horrible pulling feeling": after a preposition "that" points at a thing
    r"(?<!\boff)(?<!\bwithout)(?<!\bwith)(?<!\bfrom)(?<!\bof)(?<!\bfor)\sthat\s|"
    # "feedback about where your limbs are": after a preposition the wh-clause is its object, not a new clause
    r"(?<!\babout)(?<!\bof)\s(?:where|when)\s",
    re.IGNORECASE,
)
_CLAUSE_END_NO_COMMA = re.compile(
    r";|:|\s[-–—]\s|,?\s(?:which|by|while|because|so that|"
    r"so (?:that )?(?:you|they|we|it|the)|thereby|as well as)\s|"
    r",?(?<!\boff)(?<!\bwithout)(?<!\bwith)(?<!\bfrom)(?<!\bof)(?<!\bfor)\sthat\s|"
    r",?(?<!\babout)(?<!\bof)\s(?:where|when)\s|,\s(?:so|but)\s",
    re.IGNORECASE,
)
_LIST_WORD = r"(?!(?:which|so|but|and|or|then|while|when|where|that)\b)(?![a-z]+ing\b)[a-z][\w'-]*"
_NOUN_LIST = re.compile(
    rf"^\s*[^,;:.]*?[a-z][\w'-]*(?:,\s+{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}){{1,4}},?\s+(?:and|or)\s+"
    rf"{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}(?=\s*(?:[.;:!?]|$))"
)
_NOT_A_BENEFIT = re.compile(
    # "book" as a call to action, not "clients who book an evening appointment"; symptoms as a description
    # ("symptoms include …"), not "has eased their symptoms"
    # "you should rest" is advice; "regular massage should help you recover faster" is a (hedged) claim
    r"\b(?:should(?!\s+(?:also\s+)?(?:help|ease|reduce|improve|loosen|relieve|boost|lower|speed up|calm|make|give)\b)|"
    r"consult|ask your|(?<!who )book|call us|contact (?:us|your|the|a|our)\b|caused? by|occurs when|"
    r"risk factors?|signs and symptoms|"
    r"symptoms?\s+(?:include|are|can include|may include|such as|like|of\b[^.]*\b(?:include|are))|"
    r"shop|join our|sign up|subscribe|buy|order now|visit our|speak to your|talk to your|see your doctor)\b",
    re.IGNORECASE,
)
# "helps relax them": the object is a pronoun, so the phrase means nothing on its own.
_PRONOUN_OBJECT = re.compile(r"^(?:\w+\s+){1,3}(?:them|it|this|these|those)$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"^(?P<word>\w+ed)\s+(?P<rest>.+)$", re.IGNORECASE)
_STOPWORDS = frozenset(
    "a an the of for to and or in on at by with from its it is are be can may also helps help "
    "your you our their this that these those more less like".split()
)
_MAX_POINT_WORDS = 16
# A benefit is claimed for the therapy: the words before the cue must name it (or a session of it).
_THERAPY_WORDS = frozenset(
    "therapy therapies treatment treatments massage massages session sessions practice technique techniques "
    "acupuncture yoga physiotherapy chiropractic stretching exercise exercises care "
    "benefit benefits advantage advantages "
    # the parts of a therapy that do its work: "the warm water", "gentle pressure", "soft tissue work"
    "water warmth heat cold ice pressure buoyancy needle needles stroke strokes work mobilisation mobilization "
    "stretch stretches movement movements routine routines programme programmes program programs class classes "
    "course courses drills pulling rolling training "
    # what delivers it: "the tape", "the suction", "each lesson". Not the practitioner: "the therapist stretches
    # the skin" describes a session; the practitioner's claims count under a benefit heading (any subject there).
    "tape taping cups cupping suction stones stone lesson lessons plan appointment appointments "
    "splint splints brace braces wax insoles orthotics device devices "
    "strokes pull lift approach method attention hour minutes visit visits heat warmth dip dips soak soaks swim swims "
    # what the clinician adds: "the reassurance alone often eases the worry", "the real aim is to help you …"
    "reassurance advice education aim goal "
    "plunge bath baths hold holds pose poses posture postures".split()
)
_TITLE_NOISE = frozenset("how why what the benefits benefit of for and with can your you ways to a an in on".split())
# "helps people living with …" says nothing; "helps you return to sport" does.
_VAGUE_OBJECT = re.compile(
    r"^\w+\s+(?:(?:some|many|most)\s+)?(?:people|you|patients|clients|many|those|sufferers|anyone)\b(?P<next>\s+\w+)?",
    re.IGNORECASE,
)
_VAGUE_NEXT = frozenset("with who in of for at on and or".split())


# The benefit verbs' base forms, and those that enable a person to do something ("lets you …").
_BASE = frozenset(_VERB_WORDS.split("|")) | {"build", "give", "bring", "offer", "take", "show", "teach", "allow",
                                              "let", "leave", "enable", "keep", "make", "mean", "cut", "get", "warm",
                                              "put", "guide", "shorten", "cool", "break", "open", "wind"}
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

# A label or item that is a gerund phrase states the benefit: "Settling night pain" -> "settles night pain" (the
# therapy acts on something), "Staying active" -> "helps you stay active" (the person does it).
_ACTING_GERUND_VERBS = frozenset(
    """settle restore keep ease reduce build rebuild loosen calm strengthen improve boost support protect release
    relieve lower soften soothe clear drain speed shorten break encourage increase unlock open lengthen stretch
    stabilise stabilize correct realign retrain quieten dull numb free warm cool tone firm lift sharpen steady
    regain restore deepen widen raise strengthen protect relax""".split())
_PEOPLE_GERUND_VERBS = frozenset(
    """stay sleep move walk get feel breathe return turn need reach sit stand go run play enjoy bend climb cope
    manage wake fall rest recover train work drive exercise focus concentrate think live carry take bounce come
    bounce swim cycle dance kneel squat jump grip write type cook garden rely lift""".split())
