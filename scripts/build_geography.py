"""Build iscg/data/geography.json.gz from Etalab's @etalab/decoupage-administratif (MIT).

Usage: python scripts/build_geography.py [path/to/package/data]
Without a path, the package is fetched from the npm registry with `npm pack`.
Only current communes (type "commune-actuelle") are kept.
"""

import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "iscg" / "data" / "geography.json.gz"
PACKAGE = "@etalab/decoupage-administratif"


def fetch_package(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    archive = next(workdir.glob("etalab-decoupage-administratif-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def build(data_dir: Path) -> dict:
    departments = json.loads((data_dir / "departements.json").read_text())
    communes = json.loads((data_dir / "communes.json").read_text())
    version = json.loads((data_dir.parent / "package.json").read_text()).get("version", "")
    return {
        "source": f"{PACKAGE} {version}",
        "departments": [[d["code"], d["nom"]] for d in departments],
        "communes": [
            [c["code"], c["nom"], c["departement"], " ".join(c.get("codesPostaux", []))]
            for c in communes
            if c["type"] == "commune-actuelle"
        ],
    }


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch_package(Path(tmp))
        payload = build(data_dir)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(TARGET, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
    print(
        f"{TARGET}: {len(payload['departments'])} départements, "
        f"{len(payload['communes'])} communes ({payload['source']})"
    )


if __name__ == "__main__":
    main()
