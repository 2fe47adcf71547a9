/* Quiz attempt: save answers as the learner goes, and count down the time limit.
   Without JS the form's "Save answers" and "Submit" buttons do the same on the server,
   and the server's deadline is authoritative either way. */
(function () {
    "use strict";
    var form = document.querySelector(".quiz-form");
    if (!form) { return; }
    var status = form.querySelector(".quiz-save-status");
    var closed = false;
    var pending = null;

    function say(element, text) { if (element) { element.textContent = text; } }

    function save() {
        if (closed) { return Promise.resolve(); }
        var body = new FormData(form);
        body.delete("action");
        return fetch(form.dataset.saveUrl, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "X-Requested-With": "fetch" }
        }).then(function (response) {
            return response.json().then(function (data) {
                if (data.saved) {
                    say(status, form.dataset.msgSaved);
                } else if (data.error) {
                    // An answer the server cannot store (a NUL byte): say why; nothing was saved.
                    say(status, data.error);
                } else {
                    closed = true;
                    say(status, form.dataset.msgClosed);
                }
                if (typeof data.seconds_left === "number") { setRemaining(data.seconds_left); }
            });
        }).catch(function () { say(status, form.dataset.msgFailed); });
    }

    function scheduleSave(delay) {
        window.clearTimeout(pending);
        pending = window.setTimeout(save, delay);
    }

    form.addEventListener("change", function () { scheduleSave(150); });
    form.addEventListener("input", function (event) {
        if (event.target.type === "text") { scheduleSave(800); }
    });

    /* Countdown */
    var timer = document.querySelector(".quiz-timer");
    if (!timer) { return; }
    var clock = timer.querySelector(".quiz-timer-clock");
    var announce = timer.querySelector(".quiz-timer-announce");
    var endsAt = Date.now() + parseInt(timer.dataset.secondsLeft, 10) * 1000;
    var announced = {};
    // Screen readers hear these moments only, not every tick.
    var marks = [1800, 1200, 600, 300, 120, 60, 30, 10];

    function setRemaining(seconds) { endsAt = Date.now() + seconds * 1000; }

    function message(seconds) {
        if (seconds >= 120) { return form.dataset.msgMinutes.replace("%(n)s", Math.round(seconds / 60)); }
        if (seconds >= 60) { return form.dataset.msgMinute; }
        return form.dataset.msgSeconds.replace("%(n)s", seconds);
    }

    function tick() {
        var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
        var minutes = Math.floor(left / 60);
        var seconds = left % 60;
        clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
        marks.forEach(function (mark) {
            if (left <= mark && left > mark - 5 && !announced[mark]) {
                announced[mark] = true;
                say(announce, message(mark));
            }
        });
        // Submit a second early so the request reaches the server before its deadline.
        if (left <= 1) {
            say(announce, form.dataset.msgSubmitting);
            window.clearTimeout(pending);
            var submit = document.createElement("input");
            submit.type = "hidden";
            submit.name = "action";
            submit.value = "submit";
            form.appendChild(submit);
            form.submit();
            return;
        }
        window.setTimeout(tick, 1000);
    }
    tick();
})();
