import io
from types import SimpleNamespace

from PIL import Image

import app

CONTEXT = SimpleNamespace(aws_request_id="test-request")


class FakeS3:
    """Just the two calls the handler makes, over a dict of objects."""

    def __init__(self, objects):
        self.objects = dict(objects)

    def get_object(self, Bucket, Key):
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)])}

    def put_object(self, Bucket, Key, Body, ContentType):
        self.objects[(Bucket, Key)] = Body


def png(width, height):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(out, format="PNG")
    return out.getvalue()


def event(*keys):
    return {"Records": [{"s3": {"bucket": {"name": "photos"}, "object": {"key": k}}} for k in keys]}


def test_resizes_into_the_output_prefix(monkeypatch):
    fake = FakeS3({("photos", "uploads/cat pic.png"): png(2000, 1000)})
    monkeypatch.setattr(app, "s3", fake)
    result = app.lambda_handler(event("uploads/cat+pic.png"), CONTEXT)
    assert result["processed"][0]["output"] == "thumbnails/uploads/cat pic.png"
    with Image.open(io.BytesIO(fake.objects[("photos", "thumbnails/uploads/cat pic.png")])) as thumb:
        assert thumb.size == (512, 256)
        assert thumb.format == "PNG"


def test_its_own_output_is_skipped_so_it_never_loops(monkeypatch):
    fake = FakeS3({})
    monkeypatch.setattr(app, "s3", fake)
    result = app.lambda_handler(event("thumbnails/uploads/cat.png"), CONTEXT)
    assert result["processed"] == [{"key": "thumbnails/uploads/cat.png", "skipped": True}]
    assert fake.objects == {}
