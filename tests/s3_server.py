"""A local S3-compatible server for tests: moto in server mode on a free loopback port,
started and stopped by the test (or fixture) that needs it."""

import json
from contextlib import contextmanager

import boto3
from moto.server import ThreadedMotoServer

ACCESS_KEY = "tvc-test-access-key"
SECRET_KEY = "tvc-test-secret-key"
REGION = "us-east-1"


@contextmanager
def s3_server(*buckets):
    """Start moto on 127.0.0.1 on a free port, create ``buckets`` with the public-read policy
    on ``media/`` that the README asks for, yield the endpoint URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        client = s3_client(endpoint)
        for bucket in buckets:
            client.create_bucket(Bucket=bucket)
            client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_media_policy(bucket)))
        yield endpoint
    finally:
        server.stop()


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def s3_environment(endpoint, bucket):
    """The environment variables that put a process's media on this server."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def object_keys(endpoint, bucket, prefix=""):
    response = s3_client(endpoint).list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in response.get("Contents", []))


def public_media_policy(bucket):
    """Anyone may read ``media/``; ``private/`` stays readable only with credentials or a
    presigned URL."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/media/*",
            }
        ],
    }
