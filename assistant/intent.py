"""What kind of answer a question asks for: one fact, a whole list, a summary, advice, or a comparison.

The rules are small on purpose. They look at the question's frame ("summarize",
"what are the benefits", "do the two documents agree") and never at the
corpus, so they are testable on their own (tests/test_intent.py) and their
accuracy is measured on a labelled set written apart from them
(eval/intent_labels.jsonl, `python -m eval.quality.intent`). Whether an overview
question is really *about* something narrower ("What does RAND recommend for
Belarus?") depends on the documents; assistant/overview.py decides that and
falls back to the factoid path.

Order matters: a comparison frame wins over everything (it asks for each
document's position), then questions that ask for one fact (why/when/who,
yes/no) stay factoid, then recommendation, list and overview frames.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ingest import lexical
from ingest.embedder import english_words

from .followup import HOW_TO_ANSWER
from .specifics import asked_category

INTENTS = ("factoid", "list", "overview", "recommendation", "comparison")


@dataclass(frozen=True)
class Intent:
    """The answer shape a question asks for.

    `label` names what an overview or list is of, in the documents' vocabulary
    ("findings", "recommendations", "benefits", "costs", "examples",
    "case studies"); empty for "the whole thing".
    """

    kind: str = "factoid"
    label: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """A list question may ask for two lists at once: "pros and cons" is "benefits and costs"."""
        return tuple(self.label.split(" and ")) if self.label else ()


FACTOID = Intent()

# Two or more sources, or the documents taken together.
_CMP_WORD = re.compile(
    r"\b(?:compare[sd]?|comparing|comparison|contrast(?:s|ed)?|differ(?:s|ed)?|different|difference[s]?|"
    r"disagree[sd]?|agree[sd]?|(?:in|any) agreement|versus|vs\.?|in common|similar(?:ity|ities|ly)?|same (?:view|position|"
    r"conclusion|side)|align(?:s|ed)?|at odds|consistent with|contradict\w*|overlap\w*|stand on|stances?|positions?|"
    r"common ground)\b",
    re.I)
# "the two" alone, before a verb or before a source noun; "the two empires" are not the sources.
# "Why did Russia agree to the convention? What was the motivation for them?": a party to an agreement
# agreed, and "them" are its people; the documents are not compared. Only when agreeing is the sole comparison word.
_PARTY_AGREED = re.compile(r"^(?!.*\b(?:compar\w*|contrast\w*|differ\w*|versus|vs|similar\w*|in common)\b).*"
                           r"\b(?!(?:they|both|authors?|researchers|writers|documents|sources|texts|two|do|does|did|the|and|"
                           r"or|not|also|would|will|to|who|that|which|where|how|why|what)\b)[a-z]+\s+(?:agree[sd]?|disagree[sd]?)\b")
_PLURAL_SOURCES = re.compile(
    r"\b(?:the two(?! (?!documents|sources|texts|pieces|articles|authors|reports|papers|readings|writers)[a-z]+s\b)|both|either|neither|each(?! (?:case|side|party|parties|country|state|power|nation)s?\b)|the (?:documents|sources|texts|pieces|articles|authors|reports|papers|"
    r"readings|writers)|they|them|their views|one another|each other)\b", re.I)
_BOTH_SOURCES = re.compile(r"\b(?:(?:both|the two|each of the|all the) (?:documents|sources|texts|pieces|articles|"
                           r"authors|reports|papers|readings)|each (?:document|source|text|piece|article|author|report|"
                           r"paper|reading))\b", re.I)

# Questions after one fact.
_FACT_FRAME = re.compile(
    r"^\s*(?:why|when|who|whom|whose|where|how (?:many|much|long|often|did|does|do|can|could|would|is|are|was|were)"
    r"|which (?:year|date|person|official|leader|president|author|country|countries)|in which|"
    r"(?:is|are|was|were|will|would|can|could|did|does|do|has|have|had|should|might|may)\b)", re.I)

_RECOMMEND = re.compile(
    r"\b(?:recommend(?:s|ed|ing|ations?)?|advi[sc]e[sd]?|advising|suggest(?:s|ed|ions?)?|propos(?:e[sd]?|als?)|"
    r"prescri(?:be[sd]?|ptions?)|urge[sd]?|calls? for|policy (?:advice|prescriptions?|implications?|options)|"
    r"course of action|next steps|what (?:should|must|ought) (?:the )?(?:u\.?\s?s\.?|united states|washington|america|"
    r"policy ?makers|decision ?makers|officials|leaders|we|biden|the administration|the west|governments?)"
    r"(?: [\w.-]+){0,3} do)\b|"
    # "what does she want instead?", "what does the author want the U.S. to do": a writer's wish is a recommendation.
    r"^\s*(?:so |and |ok |okay |then )?what (?:does|did|do) (?:she|he|they|the (?:authors?|writers?|op-?ed|brief|report|article)) "
    r"(?:want|advocate|push for|propose)(?: (?:instead|the u\.?s\.? to do|us to do|washington to do|biden to do))?\s*[?.!]*\s*$",
    re.I)

# Words for what a list is of, mapped to the label the documents use.
LIST_LABELS: dict[str, str] = {
    "benefit": "benefits", "benefits": "benefits", "advantage": "benefits", "advantages": "benefits",
    "upside": "benefits", "upsides": "benefits", "pros": "benefits", "gains": "benefits", "payoffs": "benefits",
    "cost": "costs", "costs": "costs", "risk": "costs", "risks": "costs", "downside": "costs",
    "downsides": "costs", "drawback": "costs", "drawbacks": "costs", "disadvantages": "costs", "cons": "costs",
    "dangers": "costs", "pitfalls": "costs",
    "example": "examples", "examples": "examples", "illustrations": "examples", "instances": "examples",
    "case studies": "case studies", "cases": "case studies", "case study": "case studies",
    "historical cases": "case studies", "episodes": "case studies", "historical examples": "case studies",
    "steps": "steps", "stages": "steps",
}
_LIST_NOUN = "|".join(sorted((re.escape(k) for k in LIST_LABELS), key=len, reverse=True))
_LIST_FRAME = re.compile(
    rf"\b(?:what|which)(?: (?:are|were|kinds? of|sorts? of|types? of))?(?: (?:the|some|its|their|all|all of the))?"
    rf"(?: (?:main|key|potential|possible|major|specific|four|three|two|five|[2-9]|different|various|historical|"
    rf"positive|negative|chief|principal))*(?: (?:{_LIST_NOUN}))\b"
    rf"|\b(?:list|enumerate|name|give|show|outline)(?: me)?(?: (?:all|the|some|a few|any|its|their))?"
    rf"(?: (?:main|key|potential|possible|major|specific|historical))*(?: [\w-]+)?(?: (?:{_LIST_NOUN}))\b"
    rf"|\b(?:{_LIST_NOUN}) (?:does|do|did) (?:the )?[\w.’'-]+(?: [\w.’'-]+){{0,3}} (?:give|list|identify|name|"
    rf"examine|discuss|cite|offer|present|mention|look at|study|consider)\b",
    re.I)
# A bare plural noun phrase typed as a question ("Potential costs and risks?", "Benefits?", "Key risks of
# détente?"): people type a section's name and expect what it lists. A singular one ("Risk of war?") asks one thing.
_LIST_PLURAL = "|".join(sorted((re.escape(k) for k in LIST_LABELS if k.endswith("s")), key=len, reverse=True))
_LIST_MOD = r"(?:main|key|potential|possible|major|specific|historical|positive|negative|chief|principal|biggest)"
_BARE_LIST = re.compile(
    rf"^\s*(?:(?:the|its|their|any) )?(?:{_LIST_MOD} )*(?:{_LIST_PLURAL})(?: (?:and|or|&) (?:{_LIST_MOD} )*(?:{_LIST_PLURAL}))*"
    rf"(?: (?:of|for|in) [\w.’'-]+(?: [\w.’'-]+){{0,6}})?\s*[?.!]*\s*$", re.I)
# "How many recommendations does RAND make?", "How many case studies are there?": a count of a list.
_HOW_MANY_LISTED = re.compile(rf"^\s*how many (?:(?:main|key|potential|possible|different|historical|major|separate)\s+)*"
                              rf"(?P<noun>{_LIST_NOUN}|recommendations|findings|lessons)\b(?! of\b)", re.I)
_GO_WRONG = re.compile(r"^\s*what (?:could|can|might|would) go wrong\b", re.I)
_LIST_NOUN_RE = re.compile(rf"\b(?:{_LIST_NOUN})\b", re.I)
# "What kinds of costs can a less-hardline approach cut?": costs it cuts are a benefit of it, not its costs.
_COSTS_CUT = re.compile(r"\b(?:costs?|expenses?|burdens?)\b[^?]*?\b(?:cut|cuts|reduce|reduces|trim|trims|lower|lowers|shed|"
                        r"sheds|lighten|lightens|save|saves|spare|spares|ease|eases)\b", re.I)
# Two lists asked together: "pros and cons", "the benefits and risks".
_PAIRED_LISTS = re.compile(rf"\b({_LIST_NOUN})\s+(?:and|or|&|vs\.?|versus)\s+(?:the\s+)?(?:{_LIST_MOD}\s+)*({_LIST_NOUN})\b")

# "OK, please …", "can you …": the opening of a request.
_REQUEST = r"^\s*(?:(?:ok|okay|so|now|please|pls)\s*,?\s*)*(?:(?:can|could) you\s+)?"
_OVERVIEW = re.compile(
    r"\b(?:summar(?:y|ize|ise|ized|ised|izing|ising)|sum (?:it |this |them )?up|overview|gist|nutshell|tl;?dr|"
    r"recap|synopsis|abstract|highlights|big picture|bottom line|"
    # "Please describe the Anglo-Russian case study in the RAND brief": a section's overview, like "summarize"
    + _REQUEST + r"describe\s+the\s+(?:[\w.’'-]+\s+){0,5}?"
    r"(?:case study|case)(?:\s+(?:in|of|from)\s+(?:the\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,2})?\s*[?.!]*\s*$|"
    + _REQUEST + r"(?:walk|talk|take) (?:me|us) through\b|"
    r"(?:main|key|central|core|chief|principal|major|most important|overall|big|basic|general|overarching|primary) "
    r"(?:points?|ideas?|arguments?|"
    r"messages?|claims?|findings|conclusions|takeaways?|lessons|themes?|thesis|results|insights|contentions?)|"
    r"takeaways|lessons learned|^\s*(?:the |any |key |main )?lessons (?:from|of)\b|what (?:are|were) (?:the|its|their|the [\w.-]+['’]s) (?:findings|conclusions|lessons|"
    r"results|insights)\s*\??\s*$|"
    r"what (?:insights|lessons|conclusions|findings|takeaways) (?:does|did|do|can) (?:the )?[\w.’'-]+(?: [\w.’'-]+){0,3} "
    r"(?:offer|draw|give|provide|reach|present|have)\b|boil\w* (?:[\w.’'-]+ ){1,4}down|"
    r"what (?:did|does|do) (?:the )?[\w.’'-]+(?: [\w.’'-]+){0,6} (?:find|conclude|learn|argue|contend|claim|say)"
    r"(?: overall| in (?:short|brief|sum)| from (?:the |their |its |all )?[\w’'-]+(?: [\w’'-]+){0,2})?\s*\??\s*$|"
    r"what (?:is|was|'s) (?:the )?[\w.’'-]+(?: [\w.’'-]+){0,3} (?:about|arguing|saying|getting at)\s*\??\s*$|"
    r"what (?:can|could|should|do|did) (?:we|i|you|policymakers|readers) learn from (?:the |its |their )?"
    r"(?:case stud(?:y|ies)|cases|history|historical cases|past)\b|"
    r"what (?:do|does|did|can|could) (?:the )?(?:case stud(?:y|ies)|cases|history) (?:teach|tell|show)\b|"
    r"(?:findings|conclusions|thesis)\b(?! (?:about|on|regarding|of the \w+ case))|"
    r"what (?:is|was) (?:the )?(?:[\w.’'-]+ )?(?:argument|thesis|point|message)\b|"
    # "Give me the op-ed's argument in one line"
    r"^\s*(?:(?:just|pls|please)\s+)?(?:give|tell|show) (?:me |us )?(?:the )?(?:[\w.’'-]+ )?(?:argument|thesis|message)\b)", re.I)
# "How does the op-ed end?", "how does it wrap up", "what's the last paragraph of the brief": the document's
# closing words, which no sentence names (a sentence about an ending, "the end of the reset", is no answer).
_ENDING = re.compile(
    r"^\s*(?:so |and |ok |okay )?(?:how (?:does|did|do) (?:the |this |that |it |its )?(?:[\w.’'-]+ ){0,3}?"
    r"(?:end|ends|conclude|close|finish|wrap(?: things| it)? up|sign off)(?: up)?(?: its argument| things| it)?\s*[?.!]*\s*$|"
    r"(?:what|which) (?:is|was|are|were) (?:the |its )?(?:ending|closing (?:\w+)|last (?:paragraph|line|sentence|words?|point|thought)s?|"
    r"final (?:paragraph|line|sentence|words?|point|thought)s?)\b)", re.I)
_DOC_NOUN = re.compile(r"\b(?:documents?|op-?eds?|articles?|pieces?|brief|reports?|papers?|essays?|columns?|texts?)\b")
# "how does she wrap it up": a writer concluding, not an episode ending ("how did the reset end").
_WRITER_ENDS = re.compile(r"\bhow (?:does|did) (?:she|he|the (?:authors?|writers?)) (?:wrap|conclude|close|sign off|finish)")
_FINDINGS = re.compile(r"\b(?:find|finds|found|findings|conclu\w+|lessons?|learn\w*|teach\w*|taught|takeaways?|results|insights)\b", re.I)


# Chat shorthand ("what r the costs", "wat r the benefits"): read as the words it stands for. Digits are left
# alone ("in 4 cases" is a number).
_SHORTHAND_WORDS = {"r": "are", "u": "you", "ur": "your", "wat": "what", "wut": "what", "abt": "about",
                    "bc": "because"}
_SHORTHAND = re.compile(r"(?<![\w.’'-])(?:r|u|ur|wat|wut|abt|bc)(?![\w.’'-])")
_CONTRACTED = re.compile(r"\b(what|who|where|when|how)(?:['’]s|s)\b")
_WHAT_ABOUT = re.compile(r"^\s*(?:(?:and|so|ok|okay)\s*,?\s+)?(?:what|how)\s+about\s+(?=\S)")


_CAN_YOU = re.compile(r"^\s*(?:(?:can|could|would|will) you\s+(?:please\s+)?|please\s+)(?=(?:give|list|show|name|"
                      r"summari[sz]e|outline|walk|enumerate)\b)")
_HOW_TO_ANSWER = re.compile(HOW_TO_ANSWER + r"(?=\s*[?.!]*\s*$)")
# "what does rand recomend overall", "sumarize the op ed": a misspelt word that says what kind of answer is
# wanted is read as meant, since the patterns below match words exactly (a misspelt topic is Retriever.correct's).
_KIND_WORDS = tuple("""recommend recommends recommended recommending recommendation recommendations summarize summarise
summary summarized overview conclusion conclusions conclude findings finding takeaway takeaways argument arguments
argue argues arguing compare comparison difference differences similarities""".split())
_WORD = re.compile(r"\b[A-Za-z]{6,}\b")


def respell_kind_words(text: str) -> str:
    """`text` with misspelt kind words spelled as meant (in lower case)."""
    def fix(m: re.Match[str]) -> str:
        w = m.group(0).lower()
        if w in _KIND_WORDS or w in english_words():
            return m.group(0)
        close = difflib.get_close_matches(w, _KIND_WORDS, n=1, cutoff=0.85)
        return close[0] if close else m.group(0)
    return _WORD.sub(fix, text)


def classify(question: str, named_sources: int = 0) -> Intent:
    """The intent of one question, read without a follow-up's topic (Question.body).
    `named_sources`: how many documents it names."""
    low = _SHORTHAND.sub(lambda m: _SHORTHAND_WORDS[m.group(0)], " ".join(question.split()).lower())
    low = respell_kind_words(_CONTRACTED.sub(r"\1 is", low))   # "what's the op-ed arguing", "whats the gist"
    # "what about the benefits", asked first: about the benefits (a follow-up's "what about" is rewritten before)
    low = _WHAT_ABOUT.sub("", low)
    low = _HOW_TO_ANSWER.sub("", low)   # "whats the rand thing about basically"
    low = _CAN_YOU.sub("", low)          # "can you give me some examples of it": a request, not a yes/no question
    # One source named, and "them" or "they": the things it compares ("Compare the reset and détente as the
    # RAND brief describes them"), not the documents.
    plural = _PLURAL_SOURCES.search(low)
    if plural and named_sources == 1 and re.fullmatch(r"they|them", plural.group(0)):
        plural = None
    if _BOTH_SOURCES.search(low) or named_sources >= 2 or (_CMP_WORD.search(low) and plural and not _PARTY_AGREED.search(low)):
        if not re.match(r"^\s*(?:when|who|how many|how much)\b", low):
            return Intent("comparison")
    # A document's or its writer's ending: "how did the reset end" is history.
    if _ENDING.search(low) and (named_sources or _DOC_NOUN.search(low) or _WRITER_ENDS.search(low)):
        return Intent("overview", "ending")
    counted = _HOW_MANY_LISTED.match(low)
    if counted:  # the list's answer states how many it holds: "The RAND brief makes five recommendations:"
        noun = counted.group("noun")
        if noun.startswith("recommendation"):
            return Intent("recommendation", "recommendations")
        if noun.startswith(("finding", "lesson")):
            return Intent("overview", "findings")
        return Intent("list", LIST_LABELS[noun])
    if _FACT_FRAME.match(low) and not _OVERVIEW.search(low):
        return FACTOID
    if _asks_members(low):
        return FACTOID
    if _RECOMMEND.search(low):
        return Intent("recommendation", "recommendations")
    if _GO_WRONG.search(low):  # "What could go wrong with engaging Russia?" asks for the risks
        return Intent("list", "costs")
    if _LIST_FRAME.search(low) or _BARE_LIST.match(low):
        noun = _LIST_NOUN_RE.search(low)
        if noun:
            pair = _PAIRED_LISTS.search(low)
            if pair and {LIST_LABELS[pair.group(1)], LIST_LABELS[pair.group(2)]} == {"benefits", "costs"}:
                return Intent("list", f"{LIST_LABELS[pair.group(1)]} and {LIST_LABELS[pair.group(2)]}")
            if LIST_LABELS[noun.group(0).lower()] == "costs" and _COSTS_CUT.search(low):
                return FACTOID
            return Intent("list", LIST_LABELS[noun.group(0).lower()])
    if _OVERVIEW.search(low):
        return Intent("overview", "findings" if _FINDINGS.search(low) else "")
    return FACTOID


def _asks_members(low: str) -> bool:
    """"Which specific incentives does the op-ed propose?" asks for members of a category, which the
    documents name or not (specifics.py), not for the op-ed's recommendations as a list. A category that is
    itself a list the documents make ("what specific recommendations", "which specific risks") stays a list."""
    category = asked_category(low)
    return bool(category) and category not in LIST_LABELS and not category.startswith(_LISTED_PREFIXES)


_LISTED_PREFIXES = ("recommend", "finding", "lesson", "step", "proposal", "suggestion", "conclusion", "takeaway")


# Words that frame an overview/list/comparison question rather than say what it is about.
FRAME_WORDS = frozenset("""
summarize summarise summary summarized summarised sum up overview gist nutshell tldr recap synopsis abstract
highlights big picture bottom line main key central core chief principal major important overall points point
ideas idea argument arguments argue argues argued arguing message messages claims claim findings finding find finds
found conclusions conclusion conclude concludes concluded lessons lesson learned learn takeaways takeaway themes
theme thesis results insights contention contentions recommend recommends recommended recommendation
recommendations advise advises advice suggest suggests suggested suggestion suggestions propose proposes proposal
proposals prescribe prescription prescriptions urge urges urged call calls course action next steps
policymakers policy makers decision officials leaders list enumerate name give show outline walk kinds kind sorts sort
types type potential possible specific various different positive negative compare compared comparison
contrast differ differs difference differences different agree agrees disagree agreement versus similar
similarities common align view views position positions stance stances stand both two each either neither
documents document sources source texts text pieces piece articles article authors author reports report papers paper
readings writers writer me please tell us about say says said make makes made do does did should would could
must ought really actually mostly mainly generally overall short brief sum quick quickly entire whole
from of in on for to with by at into per according toward towards across over under through via its their
this that these those there here it they them an the a and or as what which whom
""".split()) | frozenset("""
few bullet bullets bulleted sentences sentence words paragraph paragraphs lines line plain english simple simply
briefly concise concisely layman laymans terms one two three four five six seven eight nine ten tl dr
whats thing things stuff pls plz thanks thx hey hi ok okay can you could would just give go wrong
now today currently nowadays team researchers analysts work come out boil boiled boiling down draw draws drew
drawn teach teaches taught we our i my history historical past justify justifies justified justification
rationale reasoning explain explains explained explanation like new topic subject beginner beginners newcomer
eli5 im many total number count altogether contain contains contained present presents presented
instead rather alternatively also too else otherwise then all every any add adds adding added
essentially even q kinda sorta honestly so um uh hmm btw anyway
end ends ending close closes closing finish finishes wrap wraps up last final sign off
basically quick real really tho though nutshell
look looked looking examine examined examines study studied studies cover covered covers consider considered
review reviewed analyze analyzed analyse analysed
want wants wanted advocate advocates advocated she he her his some several
describe describes described characterize characterise characterizes characterises characterized
""".split())  # how the answer should look ("in a few points", "in plain English") or chat filler ("pls",
# "the rand thing", "now", "the RAND team", "come out of the RAND work", "what does the op-ed recommend instead?"),
# not what it is about
FRAME_TERMS = frozenset(lexical.terms(" ".join(FRAME_WORDS)))  # the same words as index terms (stemmed)
