"""A small SCORM 1.2 module for the demo course, built in code: three garments to grade, the
score and status reported to the platform's runtime."""

import io
import zipfile

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tvc-demo-grading" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="grading">
    <organization identifier="grading">
      <title>Grade three garments</title>
      <item identifier="check" identifierref="sco"><title>Grade three garments</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="style.css"/>
    </resource>
  </resources>
</manifest>
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Grade three garments</title>
<link rel="stylesheet" href="style.css"></head>
<body><main>
<h1>Grade three garments</h1>
<p>For each garment, choose the fraction it belongs to.</p>
<form id="check">
<fieldset><legend>1. A wool coat in good condition, current style</legend>
<label><input type="radio" name="q1" value="reuse"> Reuse (grade A)</label>
<label><input type="radio" name="q1" value="recycling"> Recycling</label></fieldset>
<fieldset><legend>2. A torn, stained 100 % cotton T-shirt</legend>
<label><input type="radio" name="q2" value="reuse"> Reuse (grade B)</label>
<label><input type="radio" name="q2" value="recycling"> Recycling (cotton fraction)</label></fieldset>
<fieldset><legend>3. A wet bag of mixed clothes</legend>
<label><input type="radio" name="q3" value="sort"> Sort at once</label>
<label><input type="radio" name="q3" value="reject"> Dry or reject it first</label></fieldset>
<button type="submit">Check my answers</button>
</form>
<p id="result" role="status"></p>
</main>
<script>
var api = window.parent && window.parent.API;
if (api) { api.LMSInitialize(""); api.LMSSetValue("cmi.core.lesson_status", "incomplete"); }
document.getElementById("check").addEventListener("submit", function (event) {
  event.preventDefault();
  var right = {q1: "reuse", q2: "recycling", q3: "reject"}, score = 0;
  for (var name in right) {
    var chosen = document.querySelector("input[name=" + name + "]:checked");
    if (chosen && chosen.value === right[name]) { score += 1; }
  }
  var percent = Math.round(100 * score / 3);
  document.getElementById("result").textContent = "You graded " + score + " of 3 correctly (" + percent + " %).";
  if (api) {
    api.LMSSetValue("cmi.core.score.raw", String(percent));
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.lesson_status", percent >= 66 ? "passed" : "failed");
    api.LMSFinish("");
  }
});
</script>
</body></html>
"""

STYLE = """body { font-family: sans-serif; margin: 1.5rem; color: #17201d; }
fieldset { margin: 0 0 1rem; border: 1px solid #8a9a95; } label { display: block; margin: .3rem 0; }
button { background: #1d5c4d; color: #fff; border: 0; padding: .6rem 1rem; border-radius: 4px; }
"""


def demo_package_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", PAGE)
        archive.writestr("style.css", STYLE)
    return buffer.getvalue()
