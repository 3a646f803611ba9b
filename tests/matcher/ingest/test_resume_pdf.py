"""Résumé PDFs built by hand: what is read (English, Chinese, every page, permission-locked), and every refusal
(password, scanned, undecodable fonts, damaged, too little text)."""

import pytest

from matcher.ingest.resumes import detect_format, extract_resume
from tests.matcher.ingest.resume_files import CHINESE, ENGLISH, cjk_pdf, encrypted, english_pdf, image_only_pdf, refusal


def test_an_english_pdf_is_read_with_whitespace_normalised() -> None:
    resume = extract_resume(english_pdf([ENGLISH]), "jane.pdf", "application/pdf")

    assert (resume.format, resume.pages, resume.paragraphs, resume.truncated) == ("pdf", 1, None, False)
    assert resume.chars == len(resume.text)
    assert resume.text.splitlines()[0] == "Jane Doe - Senior Data Engineer"
    assert "Acme Analytics, London (2019-2024): built streaming pipelines" in resume.text
    assert "  " not in resume.text


def test_a_chinese_pdf_keeps_its_text_intact() -> None:
    resume = extract_resume(cjk_pdf(CHINESE), "张三-简历.pdf")

    assert resume.text.splitlines() == [" ".join(line.split()) for line in CHINESE]
    assert "腾讯科技（深圳）有限公司" in resume.text  # full-width punctuation is kept, not folded


def test_every_page_is_read_and_counted() -> None:
    resume = extract_resume(english_pdf([ENGLISH[:4], ENGLISH[4:]]), "cv.pdf")

    assert resume.pages == 2
    assert "Acme Analytics" in resume.text and "University of Edinburgh" in resume.text


def test_the_format_comes_from_the_bytes_not_the_name() -> None:
    pdf = english_pdf([ENGLISH])

    assert extract_resume(pdf, "resume.docx", "application/msword").format == "pdf"
    assert extract_resume(pdf, "resume").format == "pdf"
    assert detect_format(b"\xef\xbb\xbf  junk before the header %PDF-1.4\n") == "pdf"


def test_a_pdf_locked_only_against_editing_is_read() -> None:
    locked = encrypted(english_pdf([ENGLISH]), user_password="", algorithm="AES-128")

    assert "Senior Data Engineer" in extract_resume(locked, "cv.pdf").text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_password_protected_pdf_is_refused(algorithm: str) -> None:
    message = refusal(encrypted(english_pdf([ENGLISH]), user_password="open-sesame", algorithm=algorithm))

    assert message == "the PDF is password-protected; save a copy without the password and upload that"


@pytest.mark.parametrize(
    "pdf",
    [english_pdf([[]]), image_only_pdf(), image_only_pdf(page_number=True)],
    ids=["blank page", "image only", "image and page number"],
)
def test_a_pdf_without_a_text_layer_is_called_scanned(pdf: bytes) -> None:
    assert refusal(pdf) == (
        "the PDF has no text layer — it looks scanned; upload a PDF exported from a word processor or a DOCX"
    )


def test_a_pdf_whose_fonts_do_not_map_to_unicode_is_refused() -> None:
    private_use = "".join(chr(0xE000 + i) for i in range(60))

    message = refusal(cjk_pdf([private_use], to_unicode=False))

    assert message.startswith("the PDF's text cannot be decoded")


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1], ids=["tail cut", "half", "header only"])
def test_a_truncated_pdf_is_refused_as_damaged(keep: float) -> None:
    pdf = english_pdf([ENGLISH])

    message = refusal(pdf[: int(len(pdf) * keep)])

    assert message == "the PDF is damaged and cannot be read; export it again from the original document"


def test_garbage_after_a_pdf_header_is_refused_as_damaged() -> None:
    assert refusal(b"%PDF-1.4\n" + bytes(range(256)) * 20).startswith("the PDF is damaged")


def test_a_pdf_with_too_little_text_is_refused() -> None:
    message = refusal(english_pdf([["Curriculum Vitae"]]), "cv.pdf")

    assert message == (
        "'cv.pdf' holds only 15 characters of text, too little for a résumé; check that you chose the right file"
    )
