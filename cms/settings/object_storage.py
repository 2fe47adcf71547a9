"""The media storages on S3-compatible object storage (django-storages with boto3), built from
the ``S3_*`` settings by base.py and by the tests that run against a local S3 server."""


def s3_storages(
    *,
    bucket,
    private_bucket=None,
    endpoint_url=None,
    region=None,
    access_key=None,
    secret_key=None,
    addressing_style=None,
    custom_domain=None,
):
    """``STORAGES`` entries: public media under ``media/`` of ``bucket`` (plain URLs: grant
    public read on that prefix, or serve it through ``custom_domain``), private files under
    ``private/`` of ``private_bucket`` (default: the same bucket), private objects with no
    public URL (``cms.storage.PrivateS3Storage``)."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": addressing_style or None,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "media",
                "querystring_auth": False,
                "custom_domain": custom_domain or None,
            },
        },
        "private": {
            "BACKEND": "cms.storage.PrivateS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket or bucket,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
    }
