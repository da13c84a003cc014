"""The fixed word lists the task reader works with: stop words, verbs, heads that are no task alone,
cue words and the shapes of words.

They are data, not logic, and every other module of the package reads them, so they live in one place:
to change what a word means to the task reader, change it here. The vocabulary learned from the shipped
task list is in :mod:`kg.extract.tasks.vocab`.
"""

from __future__ import annotations

import re

_STOP = frozenset(
    "a an the of for in on to and or with by from via using based towards toward into at as is are was were be been "
    "being its their this that these those we our us it they them which who whom whose what when where while how "
    "than then there here not no nor but both either neither each every all any some such so very also only just "
    "can could may might must shall should will would do does did done has have had having get gets got over under "
    "between among across through about against without within upon beyond after before during since until per "
    "more most less least many much few several various other another same own one two three four five first "
    "second third new novel proposed existing prior previous recent current modern standard traditional classic "
    "conventional typical common popular simple efficient effective scalable better improved improving enhanced "
    "unified general generic key main important challenging fundamental crucial critical practical real real-world "
    "accurate reliable high-quality state-of-the-art sota strong large small huge vast massive extensive "
    "comprehensive systematic thorough rigorous significant substantial promising powerful lightweight "
    "well-known widely-used widely different diverse specific particular certain further additional alternative "
    "related corresponding respective overall whole entire full complete thousands millions billions hundreds "
    "dozens lots number numbers amount amounts set sets range variety kind kinds type types form forms "
    "i e eg ie etc al vs versus our ours your my his her like including include includes namely especially out up off "
    "particularly mainly primarily available deeper downstream upstream scale".split())
#: Verbs and other words that end a phrase on its left ("we propose X", "enables X", "X-based ...").
_VERBS = frozenset(
    "propose proposes present presents introduce introduces develop develops design designs study studies "
    "address addresses tackle tackles investigate investigates explore explores examine examines consider considers "
    "focus focuses improve improves enable enables achieve achieves perform performs outperform outperforms "
    "show shows demonstrate demonstrates use uses leverage leverages apply applies require requires make makes "
    "provide provides offer offers allow allows support supports facilitate facilitates boost boosts enhance "
    "enhances reduce reduces increase increases compare compares evaluate evaluates train trains learn learns "
    "generate generates predict predicts build builds combine combines rely relies aim aims seek seeks help helps "
    "yield yields lead leads remain remains become becomes involve involves include includes contain contains "
    "consist consists take takes give gives let lets need needs want see seen find finds found call called "
    "termed dubbed known".split())
_LEAD_GERUNDS = frozenset(
    "improving enhancing boosting rethinking revisiting understanding towards learning scaling using leveraging "
    "exploring guiding steering bridging breaking unlocking unleashing enabling making taming teaching training "
    "adapting balancing benchmarking evaluating measuring mitigating reducing accelerating advancing building "
    "democratizing demystifying fine-tuning finetuning pretraining pre-training".split())
#: Heads that need a modifier ("collaborative training", not "training"); never a task on their own.
_WEAK_HEADS = frozenset(
    "training pretraining pre-training fine-tuning finetuning tuning learning inference serving analysis design "
    "processing modeling modelling evaluation optimization optimisation engineering development management "
    "representation representations computing mining understanding reasoning generation prediction answering "
    "estimation search control planning collection".split())
#: Heads naming a training process, and nouns after them that make them a modifier ("training data").
_PROCESSES = frozenset(
    "training pretraining pre-training fine-tuning finetuning tuning learning search inference".split())
_CONTINUERS = frozenset(
    "data dataset datasets set sets space spaces rate rates episode episodes step steps time times cost costs "
    "budget budgets example examples sample samples corpus corpora token tokens run runs loss losses objective "
    "objectives dynamics regime regimes speed pipeline pipelines recipe recipes procedure procedures process curve "
    "curves schedule schedules stage stages phase phases signal signals loop loops".split())
#: Broad fields: not what a paper addresses when named alone.
_BROAD = frozenset(("machine learning", "deep learning", "artificial intelligence", "computer vision", "data science",
                    "natural language processing", "representation learning", "statistical learning", "ai",
                    "nlp", "language processing", "language modeling"))
#: Last words of list entries that are not activities (kept out of the head set).
_NOT_HEADS = frozenset(
    "attention vision intelligence quality security speed red robot robots game games data text image images "
    "video videos model models network networks system systems language languages object objects point points "
    "graph graphs time series speech audio music art style face faces scene scenes word words sentence sentences "
    "document documents table tables code question questions answer answers set sets test task tasks problem "
    "problems challenge challenges benchmark dataset datasets corpus method methods approach framework embeddings "
    "embedding features feature memory knowledge information function functions field fields space spaces "
    "qa asr nlu nli vqa ocr mt rl".split())
#: Activity nouns missing or rare as list heads.
_EXTRA_HEADS = frozenset(
    "curation serving pretraining pre-training fine-tuning finetuning tuning training unlearning distillation "
    "compression quantization pruning alignment evaluation supervision exploration personalization "
    "interpolation extrapolation simulation forecasting imputation scoring development deployment "
    "selection augmentation attribution interpretability explainability robustness fairness privacy "
    "reuse sharing collection labeling labelling annotation editing steering routing decoding scheduling "
    "localization localisation segmentation detection recognition generation inference".split())
#: Words between a cue noun and "for" ("a framework designed specifically for X").
_PURPOSE_NOUNS = frozenset(
    "framework frameworks method methods approach approaches system systems algorithm algorithms technique "
    "techniques pipeline pipelines model models strategy strategies architecture architectures tool tools "
    "toolkit library platform solution solutions benchmark benchmarks dataset datasets corpus corpora suite "
    "designed tailored specifically suitable developed optimized intended dedicated resource resources".split())
#: Verbs whose object names a task once nominalised ("estimating X" -> "X estimation").
_NOMINAL = {f: noun for noun, forms in {
    "estimation": "estimate estimating", "detection": "detect detecting", "prediction": "predict predicting",
    "classification": "classify classifying", "segmentation": "segment segmenting",
    "recognition": "recognize recognizing recognise recognising", "translation": "translate translating",
    "summarization": "summarize summarizing summarise summarising", "retrieval": "retrieve retrieving",
    "localization": "localize localizing localise localising", "identification": "identify identifying",
    "reconstruction": "reconstruct reconstructing", "synthesis": "synthesize synthesizing",
    "extraction": "extract extracting", "quantification": "quantify quantifying",
    "mitigation": "mitigate mitigating", "verification": "verify verifying", "curation": "curate curating",
    "annotation": "annotate annotating", "interpolation": "interpolate interpolating",
    "simulation": "simulate simulating", "discovery": "discover discovering", "forecasting": "forecast",
    "editing": "edit", "ranking": "rank", "tracking": "track", "parsing": "parse", "captioning": "caption",
    "compression": "compress compressing", "personalization": "personalize personalizing",
    "generation": "generate generating", "selection": "select selecting", "alignment": "align aligning",
    "evaluation": "evaluate evaluating", "extension": "extend extending", "solving": "solve",
    "recommendation": "recommend recommending", "serving": "serve", "answering": "answer answering",
    "quantization": "quantize quantizing",
}.items() for f in forms.split()}
_SPELLINGS = {"pretraining": "pre-training", "pre-training": "pretraining", "finetuning": "fine-tuning",
              "fine-tuning": "finetuning", "multilabel": "multi-label", "multi-label": "multilabel"}
#: Words between a cue and its phrase ("designed for the efficient X").
_SKIP = frozenset("the a an this its their our efficient effective scalable accurate fast robust reliable novel "
                  "new automatic automated better improved general large-scale".split())
#: Words between a verb and its object ("to select high-quality training data").
_OBJ_SKIP = _SKIP - {"this", "its", "their", "our"} | frozenset(
    "high-quality large-scale state-of-the-art diverse various different multiple specific particular given arbitrary "
    "desired most more informative relevant appropriate best optimal right suitable useful".split())
#: Parts of a compound that make it no noun ("step-by-step", "end-to-end", "state-of-the-art").
_CUT_WORDS = frozenset(("by", "to", "of", "the", "and", "or"))
_TASK_NOUNS = frozenset("task tasks problem problems challenge challenges application applications".split())
#: Nouns after a phrase that make it a task ("the X task"), or the task of the data evaluated on ("X benchmarks").
_TASK_NEXT = frozenset(("task", "tasks", "problem", "problems", "benchmark", "benchmarks", "datasets"))
_DATA_NEXT = frozenset(("benchmark", "benchmarks", "datasets"))
_ENUM_CUES = frozenset("like including include includes e g i such as".split())
_STUDY_VERBS = frozenset(
    "address addresses tackle tackles study studies investigate investigates consider considers explore explores "
    "examine examines revisit revisits target targets advance advances".split())
#: Gerunds too vague to name a task with their object ("Training X", "Learning X").
_VAGUE_GERUNDS = frozenset("training learning tuning fine-tuning finetuning pretraining pre-training modeling "
                           "modelling understanding reasoning processing".split())
#: First parts of compounds that make an adjective of a head ("high-resolution", "multi-task").
_ADJ_PREFIXES = frozenset("high low multi single long short large small well non cross full half".split())
#: Quantities that open an object without belonging to it ("Serving Thousands of Concurrent LoRA Adapters").
_QUANTITIES = frozenset("thousands millions billions hundreds dozens many multiple numerous countless".split())
_HYPHENS = frozenset(("-", "\u2010", "\u2011", "\u2013"))
_NAME_LIKE = re.compile(r"[A-Za-z]*[a-z][A-Z]|[A-Z][a-z]+[0-9]|[0-9][A-Za-z]*[a-z]")
_WORD = re.compile(r"[a-z0-9]+")
_COMPOUND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Sets made of the lists above, each tested in a hot loop.
_FOR_TO = frozenset(("for", "to"))
_AND_OR = frozenset(("and", "or"))
_AIMS = frozenset(("aim", "aims", "seek", "seeks"))
#: Verbs whose object of two or more words is what a paper addresses ("enhance" more often takes a property).
_IMPROVE = frozenset(("improve", "improves", "improving"))
#: Words before a phrase that can make :func:`~kg.extract.tasks.cues._cue_words` answer anything but nothing
#: (when no enumeration runs and no "task" follows).
_CUE_P1 = frozenset({"of", "the", "on", "for", "as"} | _STUDY_VERBS | _ENUM_CUES | _IMPROVE)
#: Single-token words :func:`~kg.extract.tasks.phrases._modifier` rejects whatever their case.
_NON_MOD = _STOP | _VERBS | _LEAD_GERUNDS
_SKIP_OR_CUE = _SKIP | _CUE_P1
#: Words one of which stands within nine tokens before a phrase that
#: :func:`~kg.extract.tasks.cues._cue_words` finds a cue for.
_ANCHORS = _IMPROVE | _STUDY_VERBS | _TASK_NOUNS | _PURPOSE_NOUNS | _ENUM_CUES | frozenset(("such", "focus"))
_BROAD_WORDS = frozenset(tuple(b.split(" ")) for b in _BROAD)
