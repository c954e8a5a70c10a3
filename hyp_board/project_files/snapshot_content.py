"""What a snapshot holds: a project as a ``.hypboard`` document whose documents' texts
are replaced by their SHA-256, plus what the project file leaves out (the likelihood
settings and priors). The same form travels in a project file's history (format 1.4),
where it is read as untrusted input: every snapshot is checked like a project file of
its own, and every text against its hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hyp_board.core.likelihood import check_prior, check_setting
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import ProjectData
from hyp_board.project_files.import_result import ProjectFileError

SNAPSHOT_FORMAT = "hypothesis-board-snapshot"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_document(data: ProjectData) -> tuple[dict[str, Any], dict[str, str]]:
    """The snapshot of *data* as JSON-ready content, and the texts it refers to by hash."""
    from hyp_board.project_files.hypboard import to_document

    project_file = to_document(Matrix(data))
    # The moment of export says nothing about the project: without it, two snapshots of
    # an unchanged project are byte for byte the same.
    project_file.pop("exported", None)
    texts: dict[str, str] = {}
    for document in project_file["documents"]:
        for key in ("text", "article"):
            text = document.get(key)
            if text is None:
                continue
            digest = _sha256(text)
            texts[digest] = text
            document[key] = ""  # keeps the shape the schema expects; filled on reading
            document[f"{key}_sha256"] = digest
    return {
        "format": SNAPSHOT_FORMAT,
        "project_file": project_file,
        "likelihood": dict(data.project.likelihood),
        "priors": {h.uuid: h.prior for h in data.hypotheses if h.prior != 1.0},
    }, texts


def encode(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def from_content(content: Any, texts: dict[str, str], name: str) -> ProjectData:
    """A snapshot's project from its content and the texts it refers to."""
    from hyp_board.project_files.hypboard import from_document

    if not isinstance(content, dict) or content.get("format") != SNAPSHOT_FORMAT:
        raise ProjectFileError(f"{name}: not a snapshot")
    project_file = content.get("project_file")
    if not isinstance(project_file, dict) or not isinstance(project_file.get("documents", []), list):
        raise ProjectFileError(f"{name}: it holds no project")
    for i, document in enumerate(project_file.get("documents", [])):
        if not isinstance(document, dict):
            continue  # the schema check below says where
        for key in ("text", "article"):
            digest = document.pop(f"{key}_sha256", None)
            if digest is None:
                continue
            if not isinstance(digest, str) or digest not in texts:
                raise ProjectFileError(f"{name}: documents[{i}].{key}: its text is missing")
            document[key] = texts[digest]
    data = from_document(project_file, name).data
    likelihood = content.get("likelihood") or {}
    priors = content.get("priors") or {}
    if not isinstance(likelihood, dict) or not isinstance(priors, dict):
        raise ProjectFileError(f"{name}: its likelihood settings are not a mapping")
    try:  # the editor's own checks: known names, values in range
        data.project.likelihood = {str(k): check_setting(str(k), v) for k, v in likelihood.items()}
        for h in data.hypotheses:
            if h.uuid in priors:
                h.prior = check_prior(priors[h.uuid])
    except (ValueError, TypeError) as exc:
        raise ProjectFileError(f"{name}: {exc}") from None
    return data
