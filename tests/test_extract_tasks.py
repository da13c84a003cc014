from __future__ import annotations

from tests._extract_helpers import facts, run


def test_title_phrase_with_activity_head() -> None:
    got = facts("We study it.", title="Sparse Attention for Video Frame Interpolation", relations=("addressesTask",))
    assert "video frame interpolation" in {label.lower() for _, label in got}


def test_coordinated_heads_share_modifiers() -> None:
    got = facts("x", title="Surgical instrument detection and tracking in videos", relations=("addressesTask",))
    labels = {label for _, label in got}
    assert "surgical instrument tracking" in labels


def test_repeated_listed_task_in_abstract() -> None:
    text = "Named entity recognition is hard. We improve named entity recognition on news."
    got = facts(text, relations=("addressesTask",))
    assert any(label.lower() == "named entity recognition" for _, label in got)


def test_at_most_three_tasks_and_no_near_duplicates() -> None:
    ms = [m for m in run("We address text classification. Text classification, text classification.",
                         title="Text Classification via Sentiment Analysis for Question Answering and Parsing")
          if m.relation == "addressesTask"]
    assert 1 <= len(ms) <= 3
    assert len({m.entity.key for m in ms if m.entity}) == len(ms)


def test_name_in_title_is_not_a_task() -> None:
    got = facts("x", title="Improving FooNet Training", relations=("addressesTask",))
    assert got == set()


def tasks(abstract: str, title: str = "A Study") -> set[str]:
    return {label.lower() for _, label in facts(abstract, title, ("addressesTask",))}


def test_long_title_phrase_shortened_to_the_repeated_core() -> None:
    got = tasks("Keyword spotting matters. Our keyword spotting model beats prior keyword spotting systems.",
                title="Streaming Multilingual Low-Power Keyword Spotting")
    assert "keyword spotting" in got


def test_problem_of_cue() -> None:
    got = tasks("We consider the problem of lane boundary detection under heavy rain. Results are good.")
    assert "lane boundary detection" in got


def test_framework_designed_for_cue_skips_adjectives() -> None:
    got = tasks("We present a toolkit designed for the efficient protein structure prediction on small GPUs.")
    assert "protein structure prediction" in got


def test_enumeration_after_tasks_such_as() -> None:
    got = tasks("The model is evaluated on tasks such as relation extraction, entity linking and text summarization.")
    assert {"relation extraction", "entity linking", "text summarization"} <= got


def test_verb_object_is_nominalised() -> None:
    got = tasks("We build a pipeline for estimating soil moisture (SM) from satellite images. SM matters.")
    assert "soil moisture estimation" in got
    got = tasks("x", title="Identifying Rare Bird Species with Citizen Photos")
    assert any(t.endswith("identification") and "bird" in t for t in got)


def test_head_of_object_in_title() -> None:
    got = tasks("x", title="Early Prediction of Customer Churn with Sequence Models")
    assert "customer churn prediction" in got


def test_gerund_with_object_in_title() -> None:
    got = tasks("x", title="A Corpus for Mining Legal Contract Clauses")
    assert "legal contract clause mining" in got  # head last, singular: the form abstract phrases take


def test_gerund_after_a_colon_skips_quantities_and_keeps_coined_names() -> None:
    got = tasks("x", title="Q-Lite: Serving Thousands of Concurrent LoRA Adapters")
    assert any(t.endswith("lora adapter serving") for t in got)
    assert tasks("x", title="Q-Lite: Improving Concurrent LoRA Adapters") == set()  # betterment, not a task
    assert tasks("x", title="Q-Lite: Learning Concurrent LoRA Adapters") == set()  # too vague


def test_gerund_object_with_coordinated_modifiers_takes_the_shared_noun() -> None:
    assert "long caption generation" in tasks("x", title="CapNet: Generating Short and Long Captions for Figures")
    assert "short generation" not in tasks("x", title="CapNet: Generating Short and Long Captions for Figures")


def test_purpose_verb_object_skips_adjectives_and_keeps_noun_gerunds() -> None:
    got = tasks("We propose the DAS method to select high-quality training data based on diversity.")
    assert "training data selection" in got
    got = tasks("We release a benchmark designed to generate diverse questions from scratch.")
    assert "question generation" in got


def test_purpose_verb_object_cut_short_is_no_task() -> None:
    got = tasks("We fine-tune models and use them to evaluate the quality of responses. We also build a "
                "framework to evaluate our methodology, a method to generate 3D training data, and a method "
                "to select step-by-step.")
    assert not got & {"quality evaluation", "methodology evaluation", "3d generation", "step-by-step selection",
                      "response evaluation"}


def test_opening_phrase_of_abstract_is_a_candidate() -> None:
    got = tasks("Speech emotion recognition is the task of inferring affect from voice. We propose a model.")
    assert "speech emotion recognition" in got


def test_single_mention_without_cue_is_not_a_task() -> None:
    got = tasks("Our model is fast. It also helps image captioning somewhat. We release code.")
    assert "image captioning" not in got


def test_broad_fields_and_adjective_compounds_are_not_tasks() -> None:
    got = tasks("Deep learning is everywhere. We train high-resolution models for machine learning.",
                title="Deep Learning for Machine Learning")
    assert not got & {"deep learning", "machine learning", "high-resolution"}


def test_coined_method_expansion_is_not_a_task() -> None:
    got = tasks("We propose Sparse Gradient Routing Tuning (SpaGRT), a framework. SpaGRT is fast.",
                title="SpaGRT: Sparse Gradient Routing Tuning Framework for Code Models")
    assert not any("routing tuning" in t for t in got)


def test_listed_method_expansion_is_not_a_task() -> None:
    got = tasks("Low-Rank Adaptation (LoRA) is popular. We study low-rank adaptation for speech recognition.")
    assert "low-rank adaptation" not in got


def test_hyphen_compound_modifier_not_split_from_head() -> None:
    got = tasks("x", title="Clustering-Based Sampling of Web Images")
    assert "clustering" not in got


def test_spelling_variants_become_aliases() -> None:
    ms = [m for m in run("We study multilingual pretraining. Multilingual pretraining helps.",
                         title="Scaling Multilingual Pretraining") if m.relation == "addressesTask"]
    refs = [m.entity for m in ms if m.entity and "pretraining" in m.entity.label.lower()]
    assert refs and any("pre-training" in a for r in refs for a in r.aliases)


def test_evidence_offsets_cover_the_phrase() -> None:
    title = "Robust Methods for Table Structure Recognition"
    ms = [m for m in run("We study it.", title=title) if m.relation == "addressesTask"]
    assert ms and title[ms[0].start:ms[0].end].lower() == "table structure recognition"


def test_lookup_cache_follows_the_lexicon() -> None:
    from kg.extract.tasks import names as task_module

    class Fake:
        def __init__(self) -> None:
            self.learned_pairs: tuple[tuple[str, str], ...] = ()
            self.calls = 0
            self.answer: object = None

        def lookup(self, name: str, kind: str | None = None) -> object:
            self.calls += 1
            return self.answer

    fake = Fake()
    assert task_module._lookup(fake, "crop yield prediction", "task") is None  # type: ignore[arg-type]
    assert task_module._lookup(fake, "crop yield prediction", "task") is None  # type: ignore[arg-type]
    assert fake.calls == 1  # remembered
    fake.answer, fake.learned_pairs = "entry", (("CYP", "crop yield prediction"),)  # the lexicon learned
    assert task_module._lookup(fake, "crop yield prediction", "task") == "entry"  # type: ignore[arg-type]
    assert task_module._lookup(Fake(), "crop yield prediction", "task") is None  # type: ignore[arg-type]


def test_results_do_not_depend_on_what_ran_before() -> None:
    abstract = ("We study multi-object tracking in crowded scenes. Multi-object tracking is hard, and "
                "robust multi-object tracking needs re-identification.")
    first = tasks(abstract, title="Sparse Queries for Multi-Object Tracking")
    for _ in range(3):  # warm every per-process cache with other papers, then ask again
        tasks("We address speech emotion recognition. Speech emotion recognition helps.",
              title="Speech Emotion Recognition at Scale")
        assert tasks(abstract, title="Sparse Queries for Multi-Object Tracking") == first
    assert any("tracking" in t for t in first)


def test_expansion_of_an_acronym_the_paper_proposes_is_not_a_task() -> None:
    got = tasks("We propose Sparse Gradient Routing Tuning (SpaGRT). SpaGRT beats sparse gradient routing tuning "
                "baselines on sparse gradient routing tuning.")
    assert not any("routing tuning" in t for t in got)


def test_defined_task_acronym_without_proposing_verb_is_a_task() -> None:
    got = tasks("Models fail at Lane Boundary Detection (LBD) in rain. LBD errors cause crashes. LBD is hard.")
    assert "lane boundary detection" in got


def test_name_given_with_named_is_not_a_task() -> None:
    text = ("We introduce a formulation {} ``user-centric ranking''. We study user-centric ranking at scale, "
            "and user-centric ranking is simple.")
    assert any("user-centric" in t for t in tasks(text.format("for")))  # the same phrase, not named: a task
    got = tasks(text.format("named"))
    assert not any("user-centric" in t for t in got)


def test_dataset_acronym_spelled_out_as_an_activity_names_a_task() -> None:
    got = tasks("Results on Fine-Grained Visual Classification (FGVC) benchmarks improve. FGVC remains open; "
                "FGVC models overfit.")
    assert "fine-grained visual classification" in got


def test_listed_method_acronym_expansion_stays_excluded() -> None:
    got = tasks("Low-Rank Adaptation (LoRA) is popular. LoRA saves memory, and LoRA helps low-rank adaptation.")
    assert "low-rank adaptation" not in got


def test_coordinated_head_followed_by_its_own_noun_keeps_apart() -> None:
    got = tasks("We design algorithms for data collection tasks like active learning and pure-exploration "
                "multi-armed bandits.")
    assert "active learning" in got
    assert "active pure-exploration" not in got
    got = tasks("Scene understanding matters. We study scene generation and editing tasks.")
    assert "scene editing" in got


def test_single_mention_far_from_cues_is_no_task_but_a_cued_one_is() -> None:
    filler = "Our results are strong and our code is released today for everyone. "
    got = tasks(filler + "It can also help lane boundary detection a little.")
    assert "lane boundary detection" not in got
    got = tasks(filler + "We address lane boundary detection in heavy rain.")
    assert "lane boundary detection" in got


def test_problem_of_a_gerund_names_the_nominal_task() -> None:
    got = tasks("We study the problem of detecting label errors in crowdsourced corpora. Results follow.")
    assert "label error detection" in got
    got = tasks("We address the challenge of selecting the best LLM out of a collection of models.")
    assert "llm selection" in got and "llm out selection" not in got
    got = tasks("Our results are strong and our code is released today for everyone. This is the joy of detecting "
                "label errors in crowdsourced corpora.")  # no task noun before "of": no task
    assert "label error detection" not in got


def test_phrase_before_benchmarks_is_the_task_evaluated() -> None:
    filler = "Our results are strong and our code is released today for everyone. "
    got = tasks(filler + "We evaluate our approach on two named entity recognition benchmarks.")
    assert "named entity recognition" in got
    got = tasks(filler + "We evaluate our approach on the MT benchmark focusing on multi-turn dialog.")
    assert "machine translation" not in got  # one token before "benchmark": a benchmark's name


def test_head_before_another_head_or_what_training_uses_is_a_modifier() -> None:
    got = tasks("x", title="Large-scale Transfer Learning for Spoken Language Understanding")
    assert "large-scale transfer" not in got
    assert "large-scale transfer learning" in got
    assert tasks("We collect long training episodes. Long training episodes help.",
                 title="Sampling to Construct Equitable Training Datasets") == set()
    assert "collaborative training" in tasks("x", title="Collaborative Training for Open Models")


def test_evidence_of_a_coordinated_title_phrase_spans_both_heads() -> None:
    title = "Data Acquisition for Object Detection and Segmentation"
    ms = [m for m in run("We study it.", title=title)
          if m.relation == "addressesTask" and m.entity and m.entity.label.lower() == "object segmentation"]
    assert ms and title[ms[0].start:ms[0].end] == "Object Detection and Segmentation"


def test_answering_needs_its_object() -> None:
    got = tasks("We propose a new localized inference algorithm for answering marginalization queries in large models.")
    assert "marginalization query answering" in got and "answering" not in got
    assert "question answering" in tasks("x", title="Question Answering on Patient Records with Small Models")


def test_coordinated_bare_head_borrows_modifiers_and_stands_for_the_listed_name() -> None:
    got = tasks("We show healthy improvements on object detection and segmentation tasks under various settings.")
    assert "object segmentation" in got and "segmentation" not in got


def test_scale_and_vague_adjectives_are_no_modifiers() -> None:
    assert tasks("x", title="Relational Computations for Very Large Scale Machine Learning") == set()
    assert "downstream inference" not in tasks("x", title="Using Imperfect Surrogates for Downstream Inference")


def test_method_named_in_plain_words_is_a_task_of_a_paper_about_it() -> None:
    ms = [m for m in run("We study what data helps.", title="Large-Scale Data Selection for Instruction Tuning")
          if m.relation == "addressesTask" and m.entity]
    assert any(m.entity.label.lower() == "instruction tuning" and m.entity.kind == "task" for m in ms)
    got = tasks("Low-rank adaptation is popular, and low-rank adaptation helps.", title="Low-Rank Adaptation at Scale")
    assert "low-rank adaptation" not in got  # a named method (LoRA)


def test_phrase_split_by_its_acronym_is_joined_and_counts_the_short_form() -> None:
    text = ("This is hard in the context of lane boundary (LB) spotting. We study LB spotting in rain, "
            "and LB spotting at night.")
    assert "lane boundary spotting" in tasks(text)
    once = "This is hard in the context of lane boundary (LB) spotting. We study rain and snow at night."
    assert "lane boundary spotting" not in tasks(once)  # said once: no more important than any phrase


def test_object_of_improve_of_two_words_is_a_task() -> None:
    filler = "Our results are strong and our code is released today for everyone. "
    assert "time series classification" in tasks(filler + "We use transfer learning to improve time series "
                                                  "classification on small data.")
    got = tasks(filler + "We leverage the class hierarchy to improve classification performance, and we "
                "enhance human-machine interaction.")
    assert not got & {"classification", "human-machine interaction"}
