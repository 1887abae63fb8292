"""The catalog's API families, one table per family: a small snippet and the exact accesses it
makes once targets are resolved, as (api, direction, target kind, target). A target given by a
variable or an f-string of one is dynamic, never nothing."""

from __future__ import annotations

import textwrap

import pytest

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.declarations import Declarations
from mldebt.graph import build_graph
from mldebt.parse.analyze import analyze_file
from mldebt.targets import NAMED_SCHEMES


def resolved(code: str, path: str = "train.py") -> list[tuple[str, str, str, str]]:
    facts = {path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())}
    return [
        (a.access.api, a.direction, a.target.kind.value, a.target.value)
        for a in build_graph(facts, Declarations()).accesses
    ]


def _family(cases: list[tuple[str, list[tuple[str, str, str, str]]]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("code", "expected"), cases, ids=[str(i) for i in range(len(cases))])


DYN = ("dynamic", "")


@_family([
    ("from sklearn.datasets import load_iris\nload_iris(return_X_y=True)", [("sklearn.datasets.load_iris", "read", "uri", "sklearn://iris")]),
    ("from sklearn import datasets\ndatasets.fetch_california_housing(data_home='data/sk')", [("sklearn.datasets.fetch_california_housing", "read", "uri", "sklearn://california_housing")]),
    ("from sklearn.datasets import fetch_openml\nfetch_openml('titanic', version=1)\nfetch_openml(data_id=40945)", [("sklearn.datasets.fetch_openml", "read", "uri", "openml://titanic"), ("sklearn.datasets.fetch_openml", "read", "uri", "openml://40945")]),
    ("from sklearn.datasets import fetch_openml\nfetch_openml(name=NAME)", [("sklearn.datasets.fetch_openml", "read", *DYN)]),
    ("from sklearn import tree\ntree.export_graphviz(clf, out_file='out/tree.dot')\ntree.export_graphviz(clf, 'out/t2.dot')\ntree.export_graphviz(clf)", [("sklearn.tree.export_graphviz", "write", "path", "out/tree.dot"), ("sklearn.tree.export_graphviz", "write", "path", "out/t2.dot")]),
    ("from sklearn.datasets import load_svmlight_file, load_files, dump_svmlight_file\nload_svmlight_file('data/a.svm')\nload_files('data/docs')\ndump_svmlight_file(X, y, 'out/b.svm')", [("sklearn.datasets.load_svmlight_file", "read", "path", "data/a.svm"), ("sklearn.datasets.load_files", "read", "path", "data/docs"), ("sklearn.datasets.dump_svmlight_file", "write", "path", "out/b.svm")]),
])
def test_scikit_learn(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    ("import tensorflow as tf\ntf.keras.datasets.mnist.load_data()", [("tensorflow.keras.datasets.mnist.load_data", "read", "uri", "keras://mnist")]),
    ("from keras.datasets import cifar10\ncifar10.load_data()", [("keras.datasets.cifar10.load_data", "read", "uri", "keras://cifar10")]),
    ("import tensorflow as tf\ntf.keras.utils.get_file('flowers.tgz', 'https://x.org/flowers.tgz', extract=True)", [("tensorflow.keras.utils.get_file", "read", "uri", "https://x.org/flowers.tgz")]),
    ("import tensorflow as tf\ntf.keras.utils.get_file(origin=URL)", [("tensorflow.keras.utils.get_file", "read", *DYN)]),
    ("import tensorflow_datasets as tfds\ntfds.load('mnist', split='train', data_dir='data/tfds')\ntfds.load(f'{name}:3.0.0')", [("tensorflow_datasets.load", "read", "uri", "tfds://mnist"), ("tensorflow_datasets.load", "read", *DYN)]),
    (
        "import tensorflow as tf\ntf.data.TFRecordDataset(['data/a.tfrecord'])\ntf.data.TFRecordDataset('data/b.tfrecord')\n"
        "w = tf.io.TFRecordWriter('out/c.tfrecord')\ntf.data.TextLineDataset('data/d.txt')\n"
        "tf.data.experimental.make_csv_dataset('data/e-*.csv', batch_size=32)\ntf.data.experimental.CsvDataset('data/f.csv', [0])\n"
        "tf.data.experimental.save(ds, 'out/snap')\ntf.data.Dataset.load('out/snap')\n"
        "tf.keras.utils.image_dataset_from_directory('data/images')\ntf.io.TFRecordWriter(f'out/{split}.tfrecord')",
        [
            ("tensorflow.data.TFRecordDataset", "read", "path", "data/a.tfrecord"),
            ("tensorflow.data.TFRecordDataset", "read", "path", "data/b.tfrecord"),
            ("tensorflow.io.TFRecordWriter", "write", "path", "out/c.tfrecord"),
            ("tensorflow.data.TextLineDataset", "read", "path", "data/d.txt"),
            ("tensorflow.data.experimental.make_csv_dataset", "read", "path", "data/e-*.csv"),
            ("tensorflow.data.experimental.CsvDataset", "read", "path", "data/f.csv"),
            ("tensorflow.data.experimental.save", "write", "path", "out/snap"),
            ("tensorflow.data.Dataset.load", "read", "path", "out/snap"),
            ("tensorflow.keras.utils.image_dataset_from_directory", "read", "path", "data/images"),
            ("tensorflow.io.TFRecordWriter", "write", *DYN),
        ],
    ),
])
def test_tensorflow(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    # The dataset is MNIST wherever the library caches it; a folder of images is read where it lies.
    ("from torchvision import datasets\ndatasets.MNIST(root='data', train=True, download=True)\ndatasets.ImageFolder('data/train')", [("torchvision.datasets.MNIST", "read", "uri", "torchvision://MNIST"), ("torchvision.datasets.ImageFolder", "read", "path", "data/train")]),
    ("import torchvision\ntorchvision.datasets.ImageFolder(root=args.data)", [("torchvision.datasets.ImageFolder", "read", *DYN)]),
    ("import torchaudio\ntorchaudio.datasets.LIBRISPEECH('data', download=True)\ntorchaudio.load('data/a.wav')", [("torchaudio.datasets.LIBRISPEECH", "read", "uri", "torchaudio://LIBRISPEECH"), ("torchaudio.load", "read", "path", "data/a.wav")]),
    ("from torchtext.datasets import IMDB\nIMDB(split='train')", [("torchtext.datasets.IMDB", "read", "uri", "torchtext://IMDB")]),
    (
        "import torch\ntorch.hub.download_url_to_file('https://x.org/w.pth', 'models/w.pth')\n"
        "torch.hub.load_state_dict_from_url('https://x.org/r.pth')\ntorch.hub.load('pytorch/vision', 'resnet18')\n"
        "torch.hub.load_state_dict_from_url(url)",
        [
            ("torch.hub.download_url_to_file", "read", "uri", "https://x.org/w.pth"),
            ("torch.hub.download_url_to_file", "write", "path", "models/w.pth"),
            ("torch.hub.load_state_dict_from_url", "read", "uri", "https://x.org/r.pth"),
            ("torch.hub.load", "read", "uri", "torchhub://pytorch/vision"),
            ("torch.hub.load_state_dict_from_url", "read", *DYN),
        ],
    ),
])
def test_torch_datasets_and_hub(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import seaborn as sns\ntips = sns.load_dataset('tips')\nsns.load_dataset(name='iris', cache=True, data_home='data/sns')\n"
        "sns.load_dataset(name)",
        [
            ("seaborn.load_dataset", "read", "uri", "seaborn://tips"),
            ("seaborn.load_dataset", "read", "uri", "seaborn://iris"),
            ("seaborn.load_dataset", "read", *DYN),
        ],
    ),
    (
        "import plotly.express as px\nfrom plotly import data\npx.data.gapminder()\ndata.iris()",
        [("plotly.express.data.gapminder", "read", "uri", "plotly://gapminder"), ("plotly.data.iris", "read", "uri", "plotly://iris")],
    ),
    (
        "from vega_datasets import data, local_data\ndata.cars()\ndata('airports')\nlocal_data.stocks()\n"
        "data.list_datasets()\nurl = data.cars.url",
        [
            ("vega_datasets.data.cars", "read", "uri", "vega://cars"),
            ("vega_datasets.data", "read", "uri", "vega://airports"),
            ("vega_datasets.local_data.stocks", "read", "uri", "vega://stocks"),
        ],
    ),
])
def test_plotting_libraries_datasets_by_name(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "from fvcore.common.download import download\ndownload('https://x.org/w.pkl', 'models/', filename='w.pkl')\n"
        "download(url=URL, dir='cache')",
        [
            ("fvcore.common.download.download", "read", "uri", "https://x.org/w.pkl"),
            ("fvcore.common.download.download", "write", "path", "models"),
            ("fvcore.common.download.download", "read", *DYN),
            ("fvcore.common.download.download", "write", "path", "cache"),
        ],
    ),
    (
        "from detectron2.utils.file_io import PathManager\nPathManager.get_local_path('https://x.org/m.pkl')\n"
        "with PathManager.open('data/coco.json') as f:\n    json.load(f)\nwith PathManager.open('out/m.json', 'w') as f:\n    pass",
        [
            ("PathManager.get_local_path", "read", "uri", "https://x.org/m.pkl"),
            ("json.load", "read", "path", "data/coco.json"),
            ("detectron2.utils.file_io.PathManager.open", "write", "path", "out/m.json"),
        ],
    ),
    (
        "from iopath.common.file_io import PathManager, g_pathmgr\nfrom fvcore.common.file_io import PathManager as FPM\n"
        "pm = PathManager()\npm.get_local_path('s3://b/w.pth')\ng_pathmgr.open('data/a.csv', mode='rb')\nFPM.open(path='data/b.txt')",
        [
            ("pm.get_local_path", "read", "uri", "s3://b/w.pth"),
            ("iopath.common.file_io.g_pathmgr.open", "read", "path", "data/a.csv"),
            ("fvcore.common.file_io.PathManager.open", "read", "path", "data/b.txt"),
        ],
    ),
])
def test_fvcore_iopath_and_detectron2(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "from datasets import load_from_disk\nds = load_from_disk('data/tok')\nds.save_to_disk('data/out')\nds.push_to_hub('org/ds')",
        [("datasets.load_from_disk", "read", "path", "data/tok"), ("ds.save_to_disk", "write", "path", "data/out"), ("ds.push_to_hub", "write", "uri", "hf://org/ds")],
    ),
    (
        "from huggingface_hub import hf_hub_download, snapshot_download\nhf_hub_download('org/m', 'config.json')\n"
        "hf_hub_download(repo_id='org/d', filename='x.csv', repo_type='dataset')\nsnapshot_download(repo_id=REPO)",
        [("huggingface_hub.hf_hub_download", "read", "uri", "hf://models/org/m"), ("huggingface_hub.hf_hub_download", "read", "uri", "hf://datasets/org/d"), ("huggingface_hub.snapshot_download", "read", *DYN)],
    ),
])
def test_hugging_face(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import ray\nds = ray.data.read_parquet('s3://b/in/')\nray.data.read_images(paths='data/img')\nds.write_parquet('out/ray')\n"
        "ds.write_numpy('out/np', column='x')\nray.data.read_csv(f'{root}/a.csv')\nray.data.read_sql('SELECT * FROM events', factory)",
        [
            ("ray.data.read_parquet", "read", "uri", "s3://b/in"),
            ("ray.data.read_images", "read", "path", "data/img"),
            ("ds.write_parquet", "write", "path", "out/ray"),
            ("ds.write_numpy", "write", "path", "out/np"),
            ("ray.data.read_csv", "read", *DYN),
            ("ray.data.read_sql", "read", "table", "table:events"),
        ],
    ),
])
def test_ray_data(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import dask.dataframe as dd\nimport dask.bag as db\nimport modin.pandas as mpd\n"
        "dd.read_csv('data/*.csv')\ndb.read_text('data/logs/*.json')\nmpd.read_parquet('data/m.pq')\n"
        "dd.to_parquet(df, 'out/dd')\ndd.read_sql_table('events', uri, index_col='id')\ndd.read_parquet(path)",
        [
            ("dask.dataframe.read_csv", "read", "path", "data/*.csv"),
            ("dask.bag.read_text", "read", "path", "data/logs/*.json"),
            ("modin.pandas.read_parquet", "read", "path", "data/m.pq"),
            ("dask.dataframe.to_parquet", "write", "path", "out/dd"),
            ("dask.dataframe.read_sql_table", "read", "table", "table:events"),
            ("dask.dataframe.read_parquet", "read", *DYN),
        ],
    ),
])
def test_dask_and_modin(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import duckdb\nduckdb.read_parquet('data/a.parquet')\ncon = duckdb.connect('warehouse.db')\n"
        "con.read_csv('data/b.csv')\n"
        "duckdb.sql(\"SELECT * FROM 'data/c.parquet' JOIN read_csv_auto('data/d.csv') USING (id)\")\n"
        "con.execute(\"COPY (SELECT * FROM events) TO 'out/e.parquet' (FORMAT PARQUET)\")\n"
        "con.execute(\"COPY scores FROM 'data/s.csv'\")\nduckdb.read_parquet(f'{d}/x.parquet')",
        [
            ("duckdb.read_parquet", "read", "path", "data/a.parquet"),
            # COPY ... FROM loads a table into the database: the file is written.
            ("duckdb.connect", "write", "path", "warehouse.db"),
            ("con.read_csv", "read", "path", "data/b.csv"),
            ("duckdb.sql", "read", "path", "data/c.parquet"),
            ("duckdb.sql", "read", "path", "data/d.csv"),
            ("con.execute", "read", "table", "table:events"),
            ("con.execute", "write", "path", "out/e.parquet"),
            ("con.execute", "write", "table", "table:scores"),
            ("con.execute", "read", "path", "data/s.csv"),
            ("duckdb.read_parquet", "read", *DYN),
        ],
    ),
])
def test_duckdb(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import mlflow\nmlflow.log_artifact('reports/roc.png')\nmlflow.log_artifacts('reports/plots', artifact_path='plots')\n"
        "mlflow.sklearn.log_model(model, 'model', registered_model_name='churn')\nmlflow.pytorch.log_model(net, 'model')\n"
        "mlflow.pyfunc.load_model('models:/churn/Production')\nmlflow.sklearn.load_model('runs:/0a1b2c/model')\n"
        "mlflow.xgboost.load_model(f'runs:/{run_id}/model')\nmlflow.sklearn.save_model(model, 'models/churn')\n"
        "mlflow.artifacts.download_artifacts('runs:/0a1b2c/data', dst_path='data/run')\n"
        "mlflow.register_model('runs:/0a1b2c/model', 'churn')\nclient.create_model_version('churn', source, run_id)\n"
        "client.download_artifacts(run_id, 'model', 'out/model')",
        [
            ("mlflow.log_artifact", "read", "path", "reports/roc.png"),
            ("mlflow.log_artifacts", "read", "path", "reports/plots"),
            ("mlflow.sklearn.log_model", "write", "uri", "models:/churn"),
            ("mlflow.pytorch.log_model", "write", *DYN),
            ("mlflow.pyfunc.load_model", "read", "uri", "models:/churn/Production"),
            ("mlflow.sklearn.load_model", "read", "uri", "runs:/0a1b2c/model"),
            ("mlflow.xgboost.load_model", "read", *DYN),
            ("mlflow.sklearn.save_model", "write", "path", "models/churn"),
            ("mlflow.artifacts.download_artifacts", "read", "uri", "runs:/0a1b2c/data"),
            ("mlflow.artifacts.download_artifacts", "write", "path", "data/run"),
            ("mlflow.register_model", "write", "uri", "models:/churn"),
            ("client.create_model_version", "write", "uri", "models:/churn"),
            ("client.download_artifacts", "write", "path", "out/model"),
        ],
    ),
    (
        # The files a pyfunc model carries with it are read, each of a literal dict or list.
        "import mlflow.pyfunc\nmlflow.pyfunc.log_model('model', python_model=Wrapper(),"
        " artifacts={'weights': 'models/net.pt', 'vocab': 'models/vocab.json'})\n"
        "mlflow.pyfunc.save_model('export', python_model=Wrapper(), artifacts={'weights': w})",
        [
            ("mlflow.pyfunc.log_model", "write", *DYN),
            ("mlflow.pyfunc.log_model", "read", "path", "models/net.pt"),
            ("mlflow.pyfunc.log_model", "read", "path", "models/vocab.json"),
            ("mlflow.pyfunc.save_model", "write", "path", "export"),
            ("mlflow.pyfunc.save_model", "read", *DYN),
        ],
    ),
])
def test_mlflow(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import wandb\nrun = wandb.init(project='p')\nart = run.use_artifact('team/p/raw:v3', type='dataset')\n"
        "run.log_artifact(art2, name='clean', type='dataset')\nrun.log_artifact(art2)\nwandb.use_artifact(f'team/p/{name}:latest')",
        [
            ("run.use_artifact", "read", "uri", "wandb://team/p/raw:v3"),
            ("run.log_artifact", "write", "uri", "wandb://clean"),
            ("run.log_artifact", "write", *DYN),
            ("wandb.use_artifact", "read", *DYN),
        ],
    ),
])
def test_weights_and_biases(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import boto3\ns3 = boto3.client('s3')\ns3.download_file('bkt', 'raw/a.csv', 'data/a.csv')\n"
        "s3.upload_file('models/m.pkl', 'bkt', 'models/m.pkl')\ns3.get_object(Bucket='bkt', Key='raw/b.json')\n"
        "s3.put_object(Bucket='bkt', Key=f'out/{day}.csv', Body=b'')\n"
        # The resource form takes (Key, Filename): its bucket is not in the call.
        "boto3.resource('s3').Bucket('bkt').download_file('raw/c.csv', 'data/c.csv')",
        [
            ("s3.download_file", "read", "uri", "s3://bkt/raw/a.csv"),
            ("s3.download_file", "write", "path", "data/a.csv"),
            ("s3.upload_file", "write", "uri", "s3://bkt/models/m.pkl"),
            ("s3.upload_file", "read", "path", "models/m.pkl"),
            ("s3.get_object", "read", "uri", "s3://bkt/raw/b.json"),
            ("s3.put_object", "write", *DYN),
            (".download_file", "read", *DYN),
        ],
    ),
    (
        "import fsspec, s3fs\nfs = s3fs.S3FileSystem()\nwith fs.open('s3://bkt/a.csv') as f:\n    pass\n"
        "fs.get('s3://bkt/b.csv', 'data/b.csv')\nfs.put('out/c.csv', 's3://bkt/c.csv')\n"
        "with fsspec.open('gs://bkt/d.json', 'w') as g:\n    pass\nfs.open(f's3://bkt/{key}')",
        [
            ("fs.open", "read", "uri", "s3://bkt/a.csv"),
            ("fs.get", "read", "uri", "s3://bkt/b.csv"),
            ("fs.get", "write", "path", "data/b.csv"),
            ("fs.put", "write", "uri", "s3://bkt/c.csv"),
            ("fs.put", "read", "path", "out/c.csv"),
            ("fsspec.open", "write", "uri", "gs://bkt/d.json"),
            ("fs.open", "read", *DYN),
        ],
    ),
    # s3fs and gcsfs take `bucket/key` without a scheme: a path on their store, never a local
    # file; by the constructor that made the file system, else by the receiver's name. A local
    # fsspec file system's paths stay local.
    (
        "import fsspec, gcsfs, s3fs\nimport pandas as pd\nfs = s3fs.S3FileSystem(anon=True)\n"
        "fs.get('my-bucket/raw/sales.csv', '../data/sales.csv')\n"
        "with fs.open('my-bucket/raw/stores.csv') as f:\n    stores = pd.read_csv(f)\n"
        "pd.read_csv(fs.open('my-bucket/raw/items.csv'))\n"
        "def upload(key):\n    fs.put('out/m.pkl', f'my-bucket/models/{key}')\n"
        "gcs = gcsfs.GCSFileSystem(project='p')\ngcs.cat('bkt/a.json')\ns3.open('bkt/b.json')\n"
        "fsspec.filesystem('gcs').open('bkt/d.json')\nfs = fsspec.filesystem('file')\nfs.cat('data/c.json')",
        [
            ("fs.get", "read", "uri", "s3://my-bucket/raw/sales.csv"),
            ("fs.get", "write", "path", "../data/sales.csv"),
            ("pandas.read_csv", "read", "uri", "s3://my-bucket/raw/stores.csv"),
            ("pandas.read_csv", "read", "uri", "s3://my-bucket/raw/items.csv"),
            ("fs.put", "write", *DYN),
            ("fs.put", "read", "path", "out/m.pkl"),
            ("gcs.cat", "read", "uri", "gs://bkt/a.json"),
            ("s3.open", "read", "uri", "s3://bkt/b.json"),
            (".open", "read", "uri", "gs://bkt/d.json"),
            ("fs.cat", "read", "path", "data/c.json"),
        ],
    ),
])
def test_object_stores(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "companies = catalog.load('companies')\ncatalog.save('model_input_table', df)\ncontext.catalog.load(name)",
        [
            ("catalog.load", "read", "uri", "kedro://companies"),
            ("catalog.save", "write", "uri", "kedro://model_input_table"),
            ("context.catalog.load", "read", *DYN),
        ],
    ),
])
def test_kedro_catalog(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    (
        "import xgboost as xgb\nimport lightgbm as lgb\nfrom catboost import CatBoostClassifier\n"
        "xgb.DMatrix('data/train.libsvm')\nxgb.DMatrix(X_train, label=y_train)\nbst.save_model('models/x.json')\n"
        "xgb.Booster(model_file='models/x.json')\nlgb.Booster(model_file='models/l.txt')\nbooster.save_model('models/l.txt')\n"
        "train_set.save_binary('data/train.bin')\ncb = CatBoostClassifier()\ncb.load_model('models/c.cbm')\ncb.save_model(path)",
        [
            ("xgboost.DMatrix", "read", "path", "data/train.libsvm"),
            ("bst.save_model", "write", "path", "models/x.json"),
            ("xgboost.Booster", "read", "path", "models/x.json"),
            ("lightgbm.Booster", "read", "path", "models/l.txt"),
            ("booster.save_model", "write", "path", "models/l.txt"),
            ("train_set.save_binary", "write", "path", "data/train.bin"),
            ("cb.load_model", "read", "path", "models/c.cbm"),
        ],
    ),
])
def test_gradient_boosting_model_files(code: str, expected: list) -> None:
    # An in-memory matrix (`DMatrix(X_train)`) is no file, and a generic `save_model(path)`
    # counts only once its target looks like a file: both are left out, not dynamic.
    assert resolved(code) == expected


@_family([
    (
        "import torch, onnx, onnxruntime as ort\nimport tensorflow as tf\nimport tf2onnx\n"
        "torch.onnx.export(model, x, 'models/m.onnx')\nonnx.load('models/m.onnx')\nort.InferenceSession('models/m.onnx')\n"
        "tf2onnx.convert.from_keras(model, output_path='models/k.onnx')\n"
        "tf.lite.TFLiteConverter.from_saved_model('models/saved')\ntf.saved_model.save(model, 'models/saved')\n"
        "tf.lite.Interpreter(model_path='models/m.tflite')\ntf.lite.Interpreter(model_path=path)",
        [
            ("torch.onnx.export", "write", "path", "models/m.onnx"),
            ("onnx.load", "read", "path", "models/m.onnx"),
            ("onnxruntime.InferenceSession", "read", "path", "models/m.onnx"),
            ("tf2onnx.convert.from_keras", "write", "path", "models/k.onnx"),
            ("tensorflow.lite.TFLiteConverter.from_saved_model", "read", "path", "models/saved"),
            ("tensorflow.saved_model.save", "write", "path", "models/saved"),
            ("tensorflow.lite.Interpreter", "read", "path", "models/m.tflite"),
            ("tensorflow.lite.Interpreter", "read", *DYN),
        ],
    ),
])
def test_onnx_and_tflite(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    # tarfile's modes are a letter, then ":" or "|" and a compression: "r:gz" reads, "w:xz" writes.
    (
        "import tarfile\ntarfile.open('data/a.tar.gz', 'r:gz')\ntarfile.open('out/b.tar.xz', mode='w:xz')\n"
        "tarfile.open('data/c.tgz', 'r|*')\ntarfile.open('out/d.tar', 'x')\ntarfile.open('data/e.tar')\ntarfile.open(name=ARCHIVE, mode='r:')",
        [
            ("tarfile.open", "read", "path", "data/a.tar.gz"),
            ("tarfile.open", "write", "path", "out/b.tar.xz"),
            ("tarfile.open", "read", "path", "data/c.tgz"),
            ("tarfile.open", "write", "path", "out/d.tar"),
            ("tarfile.open", "read", "path", "data/e.tar"),
            ("tarfile.open", "read", *DYN),
        ],
    ),
    # An archive handle's extraction writes the directory it extracts into, the working
    # directory by default; pandas' `str.extractall(pattern)` is a regex, no archive.
    (
        "import tarfile, zipfile\nimport pandas as pd\n"
        "with tarfile.open('data/images.tar.gz', 'r:gz') as tar:\n    tar.extractall('data/images')\n"
        "archive = tarfile.open('data/b.tgz')\narchive.extractall(path=target)\n"
        "tarfile.open('data/c.tgz').extract('c.csv', path='data/c')\n"
        "with zipfile.ZipFile('data/d.zip') as z:\n    z.extractall()\n    z.extract('m.csv', 'data/m')\n"
        "pd.Series(['a1']).str.extractall(r'(\\d)')\nmatches.extractall('[a-z]+')",
        [
            ("tarfile.open", "read", "path", "data/images.tar.gz"),
            ("tar.extractall", "write", "path", "data/images"),
            ("tarfile.open", "read", "path", "data/b.tgz"),
            ("archive.extractall", "write", *DYN),
            (".extract", "write", "path", "data/c"),
            ("tarfile.open", "read", "path", "data/c.tgz"),
            ("zipfile.ZipFile", "read", "path", "data/d.zip"),
            ("z.extractall", "write", "path", "."),
            ("z.extract", "write", "path", "data/m"),
        ],
    ),
])
def test_archives(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    # A script's command lines download and unpack as a notebook's `!wget` does: os.system's
    # string, subprocess's argument list (a word it names by a variable stands for its value),
    # or its string with shell=True.
    (
        "import os, subprocess\nURL = 'https://x.org/jena.zip'\n"
        "os.system('wget -q https://x.org/enwik8.zip -P data')\n"
        "subprocess.run(['wget', URL, '-O', 'data/jena.zip'], check=True)\n"
        "subprocess.check_call('unzip data/jena.zip -d data/jena', shell=True)\n"
        "subprocess.run('wget https://x.org/ignored.zip')\n"
        "subprocess.run(['ls', '-la'])",
        [
            ("shell wget", "read", "uri", "https://x.org/enwik8.zip"),
            ("shell wget", "write", "path", "data/enwik8.zip"),
            ("shell wget", "read", "uri", "https://x.org/jena.zip"),
            ("shell wget", "write", "path", "data/jena.zip"),
            ("shell unzip", "read", "path", "data/jena.zip"),
            ("shell unzip", "write", "path", "data/jena"),
        ],
    ),
    # An f-string's parts not known statically stand for their values in the targets (the
    # parameter is what the call passes).
    (
        "import os\nVOCAB_URL = 'https://x.org/gpt2-vocab.json'\n"
        "def fetch(data_dir):\n    os.system(f'wget {VOCAB_URL} -O {data_dir}/gpt2-vocab.json')\n"
        "fetch('data')",
        [
            ("shell wget", "read", "uri", "https://x.org/gpt2-vocab.json"),
            ("shell wget", "write", "path", "data/gpt2-vocab.json"),
        ],
    ),
    # A function's parameters are what its callers pass.
    (
        "import subprocess\ndef fetch(url, path):\n    subprocess.run(['curl', '-L', url, '-o', path])\n"
        "fetch('https://x.org/a.csv', 'data/a.csv')",
        [
            ("shell curl", "read", "uri", "https://x.org/a.csv"),
            ("shell curl", "write", "path", "data/a.csv"),
        ],
    ),
])
def test_shell_commands_of_scripts(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    # A write below a folder the code made, of a name not known statically, writes that folder
    # (as copytree does); below a folder it did not make, the target stays unknown.
    (
        "import os, shutil\nfrom pathlib import Path\nout = Path('data/small')\n(out / 'cats').mkdir(parents=True)\n"
        "for name in os.listdir('raw'):\n    shutil.copyfile(os.path.join('raw', name), out / 'cats' / name)\n"
        "    shutil.copy(name, Path('other') / name)",
        [
            ("shutil.copyfile", "read", *DYN),
            ("shutil.copyfile", "write", "path", "data/small/cats"),
            ("shutil.copy", "read", *DYN),
            ("shutil.copy", "write", *DYN),
        ],
    ),
])
def test_writes_below_a_folder_the_code_made(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    # A loop over a literal, or over a name bound to one, is one access per element.
    (
        "import os, urllib.request\nfrom pathlib import Path\nURL = 'https://x.org/data/'\ndatapath = Path('datasets')\n"
        "for filename in ('a.csv', 'b.csv'):\n    urllib.request.urlretrieve(URL + filename, datapath / filename)",
        [
            ("urllib.request.urlretrieve", "read", "uri", "https://x.org/data/a.csv"),
            ("urllib.request.urlretrieve", "read", "uri", "https://x.org/data/b.csv"),
            ("urllib.request.urlretrieve", "write", "path", "datasets/a.csv"),
            ("urllib.request.urlretrieve", "write", "path", "datasets/b.csv"),
        ],
    ),
    (
        "import pandas as pd\nSPLITS = ['train', 'test']\ndef load():\n    for split in SPLITS:\n        pd.read_csv(f'data/{split}.csv')",
        [("pandas.read_csv", "read", "path", "data/train.csv"), ("pandas.read_csv", "read", "path", "data/test.csv")],
    ),
    # A list the code changes, a name bound again to something else, an element not known, a
    # loop over more than 64 elements, and a function's own name hiding the module's literal:
    # nothing to enumerate.
    (
        "import pandas as pd\nA = ['a.csv']\nA.append(extra)\nfor n in A:\n    pd.read_csv(n)\n"
        "B = ('b.csv', 'c.csv')\nB = other\nfor n in B:\n    pd.read_csv(n)\n"
        "for n in ('d.csv', name):\n    pd.read_csv(n)\n"
        f"for n in {tuple(f'{i}.csv' for i in range(65))}:\n    pd.read_csv(n)\n"
        "C = ('e.csv', 'f.csv')\ndef g(C):\n    for n in C:\n        pd.read_csv(n)",
        [("pandas.read_csv", "read", *DYN)] * 5,
    ),
    # Bound twice to the same value (a notebook's cells that set it again), a name is that value.
    (
        "import pandas as pd\nROOT = 'https://x.org/'\nROOT = 'https://x.org/'\npd.read_csv(ROOT + 'a.csv')\n"
        "OTHER = 'a'\nOTHER = 'b'\npd.read_csv(OTHER)",
        [("pandas.read_csv", "read", "uri", "https://x.org/a.csv"), ("pandas.read_csv", "read", *DYN)],
    ),
])
def test_loops_over_literals_and_names_bound_alike(code: str, expected: list) -> None:
    assert resolved(code) == expected


@_family([
    # A Live writes under its directory, "dvclive" unless given; what it logs goes there, but
    # an artifact it logs is a file it reads. Another object's log_artifact is no Live's.
    (
        "from dvclive import Live\nimport dvclive\nlive = Live()\nlive.log_metric('acc', 0.9)\n"
        "live.log_artifact('models/m.pkl')\nlive.make_report()\n"
        "with dvclive.Live('eval_plots') as ev:\n    ev.log_artifact(path='data/x.csv')\n    ev.log_sklearn_plot('roc', y, p)\n"
        "Live(dir=out)\ntracker.log_artifact('models/n.pkl')",
        [
            ("dvclive.Live", "write", "path", "dvclive"),
            ("live.log_artifact", "read", "path", "models/m.pkl"),
            ("dvclive.Live", "write", "path", "eval_plots"),
            ("ev.log_artifact", "read", "path", "data/x.csv"),
            ("dvclive.Live", "write", *DYN),
        ],
    ),
    (
        "from mlem.api import save, load\nimport mlem.api\nsave(model, 'models/clf')\nload('models/clf')\n"
        "mlem.api.load_meta(path='models/clf')\nsave(model, path=f'models/{name}')",
        [
            ("mlem.api.save", "write", "path", "models/clf"),
            ("mlem.api.load", "read", "path", "models/clf"),
            ("mlem.api.load_meta", "read", "path", "models/clf"),
            ("mlem.api.save", "write", *DYN),
        ],
    ),
])
def test_dvclive_and_mlem(code: str, expected: list) -> None:
    assert resolved(code) == expected


def test_every_name_the_catalog_gives_is_known_as_a_name() -> None:
    """A catalog entry that names its target (`seaborn://tips`) must use a scheme the
    classification knows as a name, or its reads are reported as data at an address."""
    catalog = load_catalog()
    prefixes = {e.prefix for e in (*catalog.functions, *catalog.methods) if e.target == "named"}
    assert {p.partition(":")[0] for p in prefixes} <= NAMED_SCHEMES


@_family([
    # YAML's loaders parse a string given to them: the text of a literal or a constant is no
    # file; an open file, a file's text and a stream of unknown origin still are accesses.
    (
        "import yaml\nCORPORA = 'trainset:\\n  path_src: data/src.txt\\n'\n"
        "yaml.safe_load('''\\ntrainset:\\n    path_src: data/src-train.txt\\n''')\n"
        "yaml.safe_load(CORPORA)\nyaml.load('a: 1', Loader=yaml.SafeLoader)\nyaml.safe_load(stream=f'x: {n}')",
        [("yaml.safe_load", "read", *DYN)],
    ),
    (
        "import yaml\nfrom pathlib import Path\nyaml.safe_load(open('conf/a.yaml'))\n"
        "with open('conf/b.yaml') as f:\n    yaml.full_load(f)\nyaml.safe_load(Path('conf/c.yaml').read_text())\n"
        "def read(stream):\n    return yaml.safe_load(stream)",
        [
            ("yaml.safe_load", "read", "path", "conf/a.yaml"),
            ("yaml.full_load", "read", "path", "conf/b.yaml"),
            (".read_text", "read", "path", "conf/c.yaml"),
            ("yaml.safe_load", "read", *DYN),
        ],
    ),
])
def test_yaml_text_is_no_file(code: str, expected: list) -> None:
    assert resolved(code) == expected


def test_the_working_directory_joined_by_format_fstring_or_plus_stays_relative() -> None:
    code = """\
        import os, tarfile
        from pathlib import Path
        import pandas as pd
        HELPERS = "{}/{}".format(os.getcwd(), "helpers")
        tarfile.open("{}/{}".format(HELPERS, "4.tar.gz"), "r:gz").extractall(path=HELPERS + "/4")
        pd.read_csv(f"{os.getcwd()}/data/a.csv")
        pd.read_csv(os.getcwd() + "/data/b.csv")
        pd.read_csv(os.path.join(os.getcwd(), "data", "c.csv"))
        pd.read_csv(Path.cwd() / "data" / "d.csv")
    """
    assert resolved(code) == [
        (".extractall", "write", "path", "helpers/4"),
        ("tarfile.open", "read", "path", "helpers/4.tar.gz"),
        ("pandas.read_csv", "read", "path", "data/a.csv"),
        ("pandas.read_csv", "read", "path", "data/b.csv"),
        ("pandas.read_csv", "read", "path", "data/c.csv"),
        ("pandas.read_csv", "read", "path", "data/d.csv"),
    ]


def test_a_web_service_s_json_answer_or_a_ping_is_no_data() -> None:
    code = """\
        import httpx, json, pickle, requests
        from urllib.request import urlopen
        API = "https://api.example.com/v2/users/42"
        def fact():
            return httpx.get("https://catfact.ninja/fact?max_length=140").json()["fact"]
        def online():
            try:
                urlopen("https://oss.example.com/update_check")
                return True
            except OSError:
                return False
        user = requests.get(API).json()
        other = requests.get(f"https://api.example.com/v2/users/{uid}").json()
        raw = requests.get("https://cdn.example.net/trip-data/green_2021-03.parquet")
        open("data/green.parquet", "wb").write(raw.content)
        table = requests.get("https://x.org/stats/table.json").json()
        page = requests.get("https://x.org/api/items").text
        requests.get("https://x.org/files/data.csv")
        status = json.load(urlopen("https://api.example.com/v1/status"))
        rows = json.load(urlopen("https://x.org/files/rows.json"))
        model = pickle.load(urlopen("https://x.org/files/model"))
    """
    # The answer of a URL naming a file is data, parsed as JSON or not, and so is what a GET
    # keeps; an unknown URL stays dynamic.
    assert resolved(code) == [
        ("requests.get", "read", *DYN),
        ("requests.get", "read", "uri", "https://cdn.example.net/trip-data/green_2021-03.parquet"),
        ("open", "write", "path", "data/green.parquet"),
        ("requests.get", "read", "uri", "https://x.org/stats/table.json"),
        ("requests.get", "read", "uri", "https://x.org/api/items"),
        ("requests.get", "read", "uri", "https://x.org/files/data.csv"),
        # The GET is the one access of `json.load(urlopen(url))`, not a dynamic json.load too.
        ("urllib.request.urlopen", "read", "uri", "https://x.org/files/rows.json"),
        ("urllib.request.urlopen", "read", "uri", "https://x.org/files/model"),
    ]


def test_dvc_s_python_api_reads_the_file_by_its_path() -> None:
    code = (
        "import dvc.api\n"
        "with dvc.api.open('data/raw.csv') as f:\n    f.read()\n"
        "text = dvc.api.read('data/labels.txt', repo='.')\n"
        "url = dvc.api.get_url(path='data/images')\n"
    )
    assert resolved(code) == [
        ("dvc.api.open", "read", "path", "data/raw.csv"),
        ("dvc.api.read", "read", "path", "data/labels.txt"),
        ("dvc.api.get_url", "read", "path", "data/images"),
    ]
