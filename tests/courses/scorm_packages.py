"""Small SCORM packages built in memory for the tests: a SCORM 1.2 and a SCORM 2004 one, each
with one SCO page that talks to the runtime, plus hostile variants."""

import io
import stat
import zipfile

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tvc-test-12" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item1" identifierref="sco1"><title>Sorting quiz</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco1" type="webcontent" adlcp:scormtype="sco" href="{launch}">
      <file href="{launch}"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tvc-test-2004" version="1.0"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item1" identifierref="sco1" parameters="?lang=en"><title>Fibres</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco1" type="webcontent" adlcp:scormType="sco" href="{launch}">
      <file href="{launch}"/>
    </resource>
  </resources>
</manifest>
"""

# One page: finds the runtime in the parent window, reports progress and, on "Finish", a
# passing score and completion, then ends the session.
SCO_12 = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sorting quiz</title>
<script src="js/sco.js"></script></head><body>
<h1>Sorting check</h1><p id="learner"></p>
<button id="finish" type="button">Finish the module</button>
<script>
var api = window.parent.API;
api.LMSInitialize("");
document.getElementById("learner").textContent = "Learner: " + api.LMSGetValue("cmi.core.student_name") + " (" + api.LMSGetValue("cmi.core.entry") + ")";
api.LMSSetValue("cmi.core.lesson_status", "incomplete");
api.LMSSetValue("cmi.core.lesson_location", "page-2");
api.LMSSetValue("cmi.suspend_data", "answered=3");
api.LMSCommit("");
document.getElementById("finish").addEventListener("click", function () {
  api.LMSSetValue("cmi.core.score.raw", "85");
  api.LMSSetValue("cmi.core.score.min", "0");
  api.LMSSetValue("cmi.core.score.max", "100");
  api.LMSSetValue("cmi.core.lesson_status", "passed");
  api.LMSSetValue("cmi.core.session_time", "00:02:10");
  api.LMSFinish("");
});
</script></body></html>
"""

SCO_2004 = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fibres</title></head>
<body><h1>Fibres</h1><button id="finish" type="button">Finish the module</button>
<script>
var api = window.parent.API_1484_11;
api.Initialize("");
api.SetValue("cmi.location", "intro");
api.Commit("");
document.getElementById("finish").addEventListener("click", function () {
  api.SetValue("cmi.score.scaled", "0.9");
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("cmi.success_status", "passed");
  api.Terminate("");
});
</script></body></html>
"""


def build(files, *, symlinks=()):
    """A ZIP of ``files`` ({name: bytes or str}); ``symlinks`` adds symbolic-link entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def scorm12(title="Sorting check (SCORM 1.2)", **extra):
    return build(
        {
            "imsmanifest.xml": MANIFEST_12.format(title=title, launch="index.html"),
            "index.html": SCO_12,
            "js/sco.js": "/* nothing */",
            **extra,
        }
    )


def scorm2004(title="Fibres (SCORM 2004)", **extra):
    return build(
        {
            "imsmanifest.xml": MANIFEST_2004.format(title=title, launch="content/start.html"),
            "content/start.html": SCO_2004,
            **extra,
        }
    )
