"""google-cloud-storage against a running `sluice serve` (STORAGE_EMULATOR_HOST points at it)."""
import os
import uuid

import pytest
from google.api_core import exceptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage


@pytest.fixture
def client():
    assert os.environ.get("STORAGE_EMULATOR_HOST"), "run through ops/interop/run.sh"
    return storage.Client(project="local", credentials=AnonymousCredentials())


@pytest.fixture
def bucket(client):
    return client.create_bucket("interop-" + uuid.uuid4().hex[:12])


def test_a_small_upload_downloads_the_same_bytes_with_its_metadata(bucket):
    blob = bucket.blob("dir/small.txt")
    blob.metadata = {"color": "blue"}
    blob.upload_from_string(b"hello world", content_type="text/plain")
    fetched = bucket.get_blob("dir/small.txt")
    assert fetched.size == 11
    assert fetched.content_type == "text/plain"
    assert fetched.metadata == {"color": "blue"}
    assert fetched.download_as_bytes() == b"hello world"


def test_a_resumable_upload_over_8_mib_in_chunks_round_trips(bucket):
    data = os.urandom(9 * 1024 * 1024 + 123)
    blob = bucket.blob("big.bin", chunk_size=4 * 1024 * 1024)
    blob.upload_from_string(data, content_type="application/octet-stream")
    assert bucket.get_blob("big.bin").size == len(data)
    assert bucket.blob("big.bin").download_as_bytes() == data


def test_listing_with_a_prefix_returns_only_those_names(client, bucket):
    for name in ["a.txt", "dir/one.txt", "dir/two.txt"]:
        bucket.blob(name).upload_from_string(b"x")
    names = [blob.name for blob in client.list_blobs(bucket, prefix="dir/")]
    assert names == ["dir/one.txt", "dir/two.txt"]


def test_a_metadata_patch_bumps_the_metageneration(bucket):
    blob = bucket.blob("cat.png")
    blob.upload_from_string(b"meow")
    blob.metadata = {"label": "cat"}
    blob.patch()
    fetched = bucket.get_blob("cat.png")
    assert fetched.metadata == {"label": "cat"}
    assert fetched.metageneration == 2


def test_a_deleted_object_is_gone(bucket):
    blob = bucket.blob("gone.txt")
    blob.upload_from_string(b"bye")
    blob.delete()
    assert bucket.get_blob("gone.txt") is None


def test_a_generation_precondition_that_fails_is_a_412(bucket):
    blob = bucket.blob("guarded.txt")
    blob.upload_from_string(b"v1")
    with pytest.raises(exceptions.PreconditionFailed):
        bucket.blob("guarded.txt").upload_from_string(b"v2", if_generation_match=1)


def test_a_notification_config_is_created_and_listed(client, bucket):
    notification = bucket.notification(topic_name="interop-topic", payload_format="JSON_API_V1")
    notification.create()
    listed = list(bucket.list_notifications())
    assert [n.topic_name for n in listed] == ["interop-topic"]
