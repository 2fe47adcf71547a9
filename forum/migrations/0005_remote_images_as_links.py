"""Posts rendered before forum.markup existed keep remote images in their stored HTML:
render those again, so reading an old private topic makes no outside request either."""

from django.db import migrations

from forum.markup import IMG_TAG, image_or_link


def relink_remote_images(apps, schema_editor):
    Post = apps.get_model("forum_conversation", "Post")
    for post in Post.objects.filter(_content_rendered__icontains="<img").iterator():
        rendered = IMG_TAG.sub(image_or_link, post._content_rendered)
        if rendered != post._content_rendered:
            Post.objects.filter(pk=post.pk).update(_content_rendered=rendered)


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0004_private_attachments"),
        ("forum_conversation", "0013_auto_20201220_1745"),
    ]

    operations = [migrations.RunPython(relink_remote_images, migrations.RunPython.noop)]
