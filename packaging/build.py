"""Build the standalone one-folder application, prune it and smoke-test it.

    uv run --group packaging python packaging/build.py

Writes dist/hyp-board/ (run dist/hyp-board/hyp-board). Prints the bundle's size before
and after pruning, then proves the bundle works on its own: a copy of it, moved away
from the checkout, starts its window on the offscreen platform, creates the sample case
in a fresh database, exports it to PDF with its own fonts and imports that PDF back as a
document (PDFium is in the bundle).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "hyp-board"

# What the application never loads. Qt's translations (it is in English); platform
# plugins other than X11, Wayland and offscreen; image formats other than PNG (built
# in); and Qt modules that PySide6's hooks carry along but nothing imports.
PRUNE_DIRECTORIES = [
    "PySide6/Qt/translations",
    "PySide6/Qt/plugins/imageformats",
    "PySide6/Qt/plugins/generic",
    "PySide6/Qt/plugins/networkinformation",
    "PySide6/Qt/plugins/tls",
    "PySide6/Qt/plugins/egldeviceintegrations",
    "PySide6/Qt/plugins/iconengines",
    # The GTK theme plugin brings GTK, Pango, Cairo and ATK along (~10 MB); the
    # application uses Qt's Fusion style and Qt's own or the portal's file dialogs.
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
]
PRUNE_PLATFORMS_EXCEPT = {
    "libqxcb.so",
    "libqwayland.so",
    "libqwayland-egl.so",
    "libqwayland-generic.so",
    "libqoffscreen.so",
    "libqminimal.so",
}
PRUNE_LIBRARY_PREFIXES = [
    "libQt6Qml",
    "libQt6Quick",
    "libQt6Pdf",
    "libQt6Svg",
    "libQt6VirtualKeyboard",
    "libQt6Sql",
    "libQt6Test",
]


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def needed_libraries(folder: Path) -> set[str]:
    """Shared libraries some kept file links against (so they must stay)."""
    needed: set[str] = set()
    for f in folder.rglob("*.so*"):
        if not f.is_file():
            continue
        out = subprocess.run(["readelf", "-d", str(f)], capture_output=True, text=True).stdout
        needed.update(line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line)
    return needed


def prune(internal: Path) -> list[str]:
    removed = []
    for relative in PRUNE_DIRECTORIES:
        target = internal / relative
        if target.is_dir():
            shutil.rmtree(target)
            removed.append(relative)
        elif target.exists():
            target.unlink()
            removed.append(relative)
    platforms = internal / "PySide6/Qt/plugins/platforms"
    if platforms.exists():
        for plugin in platforms.iterdir():
            if plugin.name not in PRUNE_PLATFORMS_EXCEPT:
                plugin.unlink()
                removed.append(f"platform plugin {plugin.name}")
    for _ in range(4):  # removing one library can free others
        needed = needed_libraries(internal)
        for lib in internal.rglob("*.so*"):
            if not lib.is_file() or lib.is_symlink() or lib.name in needed:
                continue
            qt_unused = any(lib.name.startswith(p) for p in PRUNE_LIBRARY_PREFIXES)
            # A system library that nothing left links against (PyInstaller brought it
            # for a plugin removed above).
            orphan = (
                lib.parent == internal
                and lib.name.startswith("lib")
                and not lib.name.startswith(("libpython", "libpyside", "libshiboken", "libQt6"))
            )
            if qt_unused or orphan:
                lib.unlink()
                removed.append(lib.name)
    for link in internal.rglob("*"):  # links left pointing at removed files
        if link.is_symlink() and not link.exists():
            link.unlink()
    return removed


def smoke_test(bundle: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="hyp-board-smoke-") as tmp_name:
        tmp = Path(tmp_name)
        copy = tmp / "app"
        shutil.copytree(bundle, copy, symlinks=True)  # away from the checkout and its resources/
        exe = copy / "hyp-board"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "QT_"))}
        env.update(
            HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config")
        )
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)

        window_db = tmp / "window.sqlite"
        window = subprocess.Popen(
            [str(exe), "--db", str(window_db)],
            cwd=tmp,
            env=env | {"QT_QPA_PLATFORM": "offscreen"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(8)
            if window.poll() is not None:
                raise SystemExit(
                    f"smoke test: the window exited ({window.returncode}):\n"
                    f"{window.stdout.read().decode(errors='replace')}"
                )  # type: ignore[union-attr]
        finally:
            window.terminate()
            window.wait(10)
        listed = subprocess.run(
            [str(exe), "list", "--db", str(window_db)],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "Sample case" not in listed:
            raise SystemExit(f"smoke test: the window did not create the sample case:\n{listed}")
        print("smoke test: the window started offscreen and created the sample case")

        pdf = tmp / "sample.pdf"
        result = subprocess.run(
            [str(exe), "export", "sample", "--pdf", str(pdf), "--db", str(tmp / "fresh.sqlite")],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"smoke test: export failed:\n{result.stdout}{result.stderr}")
        data = pdf.read_bytes()
        if b"/FontFile2" not in data or b"DejaVuSansCondensed" not in data:
            raise SystemExit("smoke test: the PDF has no embedded report font")
        print(f"smoke test: {result.stdout.strip()} ({len(data) / 1e3:.0f} kB, bundled font embedded)")

        # The report just written, read back as a document: PDFium is in the bundle.
        result = subprocess.run(
            [str(exe), "add-documents", "sample", str(pdf), "--db", str(tmp / "fresh.sqlite")],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 or "pages" not in result.stdout:
            raise SystemExit(f"smoke test: importing a PDF failed:\n{result.stdout}{result.stderr}")
        print(f"smoke test: {result.stdout.strip()}")


def validate_desktop_files() -> None:
    linux = ROOT / "packaging" / "linux"
    for tool, args in (
        ("desktop-file-validate", [str(linux / "org.hypboard.HypothesisBoard.desktop")]),
        ("appstreamcli", ["validate", "--no-net", str(linux / "org.hypboard.HypothesisBoard.metainfo.xml")]),
    ):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed: desktop files not validated")
            continue
        result = subprocess.run([tool, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{tool} failed:\n{result.stdout}{result.stderr}")
        print(f"{tool}: passed")


def main() -> int:
    shutil.rmtree(DIST, ignore_errors=True)
    shutil.rmtree(ROOT / "build" / "pyinstaller", ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(ROOT / "packaging" / "hyp-board.spec"),
            "--noconfirm",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            "--log-level",
            "WARN",
        ],
        check=True,
        cwd=ROOT,
    )
    before = size_mb(BUNDLE)
    removed = prune(BUNDLE / "_internal")
    after = size_mb(BUNDLE)
    print(
        f"bundle: {before:.0f} MB as built, {after:.0f} MB after pruning ({len(removed)} items removed; "
        f"target < 150 MB)"
    )
    smoke_test(BUNDLE)
    validate_desktop_files()
    print(f"built {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
