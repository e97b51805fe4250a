// What mkdocs-quiz lacks for the chapter quiz: no feedback until "Check score", a pass mark,
// "Retake", and the lesson's completion kept in localStorage and shown as a tick beside every
// link to the lesson (navigation, home page, footer). mkdocs-quiz still renders the questions,
// marks the answers and remembers the answers per page.
// For every answered question, in the chapter quiz and in the quick checks alike, the feedback
// shows the explanation of the chosen option and, after a wrong answer, of the correct one.
// Quick checks (.quick-check, outside .lesson-quiz) answer at once and count towards nothing.
(function () {
  "use strict";

  var STORE = "access-review-ml:completed-lessons";
  var ANSWER = 'input[name="answer"]';
  var ARROWS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];

  // mkdocs-quiz reveals a question's feedback box once the question is submitted.
  function submitted(quiz) {
    var feedback = quiz.querySelector(".quiz-feedback");
    return !!feedback && !feedback.classList.contains("hidden");
  }

  function chosenAnswer(quiz) {
    return quiz.querySelector(ANSWER + ":checked");
  }

  // One labelled explanation: "Your answer" or "Correct answer", the option, its feedback.
  function explanation(input, title, kind) {
    var item = document.createElement("div");
    var head = document.createElement("p");
    var mark = document.createElement("span");
    var name = document.createElement("strong");
    var option = document.createElement("span");
    var body = document.createElement("div");
    var label = input.parentElement.querySelector("label");
    var feedback = input.parentElement.querySelector(".answer-feedback");
    item.className = "quiz-feedback-item quiz-explanation " + kind;
    head.className = "quiz-explanation__head";
    mark.className = "quiz-explanation__mark";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = kind === "correct" ? "\u2713 " : "\u2717 ";
    name.textContent = title;
    option.className = "quiz-explanation__option";
    option.textContent = label ? label.textContent.trim() : "";
    head.append(mark, name, document.createTextNode(": "), option);
    body.className = "quiz-feedback-item-content";
    if (feedback) {
      Array.prototype.forEach.call(feedback.childNodes, function (node) {
        body.appendChild(node.cloneNode(true));
      });
    }
    item.append(head, body);
    return item;
  }

  // Replace mkdocs-quiz's feedback (the chosen option's only) with both explanations, and let
  // screen readers announce them with the question's answers.
  function explain(quiz) {
    var chosen = chosenAnswer(quiz);
    var correct = quiz.querySelector(ANSWER + "[data-correct]");
    var feedback = quiz.querySelector(".quiz-feedback");
    if (!chosen || !correct || !feedback || !submitted(quiz)) return;
    var items = [];
    if (chosen === correct) {
      items.push(explanation(chosen, "Your answer is correct", "correct"));
    } else {
      items.push(explanation(chosen, "Your answer is not correct", "incorrect"));
      items.push(explanation(correct, "Correct answer", "correct"));
    }
    feedback.replaceChildren.apply(feedback, items);
    if (!feedback.id) feedback.id = quiz.id + "-feedback";
    quiz.querySelector("fieldset").setAttribute("aria-describedby", feedback.id);
  }

  // Completed lessons: {"logistic-regression": {"score": 9, "total": 10}}.
  function completedLessons() {
    try {
      var data = JSON.parse(localStorage.getItem(STORE) || "{}");
      return data && typeof data === "object" && !Array.isArray(data) ? data : {};
    } catch (error) {
      return {};
    }
  }

  // Keep the best passing score; a later, weaker attempt does not undo a completion.
  function saveCompletion(lesson, score, total) {
    var data = completedLessons();
    var before = data[lesson] && data[lesson].score;
    data[lesson] = { score: Math.max(score, before || 0), total: total };
    try {
      localStorage.setItem(STORE, JSON.stringify(data));
    } catch (error) {
      console.warn("quiz-completion: the browser refused to store the completion", error);
    }
  }

  // The lesson a link points to on this site ("logistic-regression"), or null.
  function lessonOf(link) {
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#") return null;
    var url;
    try {
      url = new URL(href, document.baseURI);
    } catch (error) {
      return null;
    }
    if (url.protocol !== location.protocol || url.host !== location.host) return null;
    var path = url.pathname.replace(/\/index\.html$/, "").replace(/\/$/, "");
    return decodeURIComponent(path.split("/").pop().replace(/\.html$/, "")) || null;
  }

  function addTick(link) {
    if (link.querySelector(".lesson-tick")) return;
    var tick = document.createElement("span");
    var mark = document.createElement("span");
    var label = document.createElement("span");
    tick.className = "lesson-tick";
    tick.title = "Lesson completed";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "\u2713";
    label.className = "lesson-tick__label";
    label.textContent = " (completed)";
    tick.append(mark, label);
    (link.querySelector(".md-ellipsis") || link).appendChild(tick);
  }

  // A tick beside every link to a completed lesson, on whatever page this is.
  function showTicks() {
    var done = completedLessons();
    document.querySelectorAll("a[href]").forEach(function (link) {
      var lesson = lessonOf(link);
      if (lesson && Object.prototype.hasOwnProperty.call(done, lesson)) addTick(link);
    });
  }

  function LessonQuiz(box) {
    this.box = box;
    this.lesson = box.getAttribute("data-lesson");
    this.passMark = parseInt(box.getAttribute("data-pass-mark"), 10);
    this.total = parseInt(box.getAttribute("data-total"), 10);
    this.quizzes = Array.prototype.slice.call(box.querySelectorAll(".quiz"));
    this.check = box.querySelector(".lesson-quiz-check");
    this.retake = box.querySelector(".lesson-quiz-retake");
    this.status = box.querySelector(".lesson-quiz-score");
    this.checking = false;
  }

  LessonQuiz.prototype.start = function () {
    var self = this;
    this.status.setAttribute("tabindex", "-1");
    if (this.quizzes.length !== this.total) {
      // For example mkdocs-quiz is not enabled on this page: its <quiz> blocks stay raw text.
      this.status.textContent = "This quiz could not be loaded.";
      this.check.disabled = true;
      console.error("quiz-completion: expected " + this.total + " questions, found " + this.quizzes.length);
      return;
    }
    // mkdocs-quiz submits a question on selection (or Enter): hold it until "Check score".
    this.box.addEventListener(
      "submit",
      function (event) {
        if (self.checking) return;
        event.preventDefault();
        event.stopImmediatePropagation();
      },
      true,
    );
    this.check.addEventListener("click", function () {
      self.checkScore();
    });
    this.retake.addEventListener("click", function () {
      self.clear();
    });
    this.restore();
  };

  // After a reload mkdocs-quiz restores the submitted answers: show their score again.
  LessonQuiz.prototype.restore = function () {
    var done = this.quizzes.filter(submitted);
    if (done.length && done.length === this.quizzes.length) this.showScore(false);
    else done.forEach(this.resetQuestion, this);
  };

  LessonQuiz.prototype.checkScore = function () {
    var missing = this.quizzes.filter(function (quiz) {
      return !chosenAnswer(quiz);
    }, this);
    if (missing.length) {
      var numbers = missing.map(function (quiz) {
        return this.quizzes.indexOf(quiz) + 1;
      }, this);
      this.status.textContent =
        "Answer every question first. Still unanswered: question " + numbers.join(", ") + ".";
      missing[0].querySelector(ANSWER).focus();
      return;
    }
    this.checking = true;
    this.quizzes.forEach(function (quiz) {
      if (!submitted(quiz)) {
        quiz.querySelector("form").dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      }
    }, this);
    this.checking = false;
    this.showScore(true);
  };

  LessonQuiz.prototype.showScore = function (fresh) {
    var total = this.quizzes.length;
    var right = this.quizzes.filter(function (quiz) {
      var answer = chosenAnswer(quiz);
      return !!answer && answer.hasAttribute("data-correct");
    }, this).length;
    var passed = right >= this.passMark;
    this.quizzes.forEach(explain);
    this.box.classList.add("is-checked");
    this.box.classList.toggle("is-passed", passed);
    this.check.hidden = true;
    this.retake.hidden = false;
    this.status.textContent =
      "Score: " + right + " of " + total + " correct (" + Math.round((100 * right) / total) + "%). " +
      (passed
        ? "Lesson complete."
        : "Not complete yet: " + this.passMark + " correct answers are needed. Read the feedback on each question, then retake.");
    if (passed) {
      saveCompletion(this.lesson, right, total);
      showTicks();
    }
    if (fresh) this.status.focus();
  };

  // mkdocs-quiz's own per-question reset clears the answer, the feedback and its stored state.
  LessonQuiz.prototype.resetQuestion = function (quiz) {
    var reset = quiz.querySelector(".quiz-reset-button");
    if (reset) reset.click();
    quiz.querySelector("fieldset").removeAttribute("aria-describedby");
    quiz.querySelectorAll(ANSWER).forEach(function (input) {
      input.checked = false;
      input.disabled = false;
    });
  };

  LessonQuiz.prototype.clear = function () {
    this.quizzes.forEach(this.resetQuestion, this);
    this.box.classList.remove("is-checked", "is-passed");
    this.check.hidden = false;
    this.retake.hidden = true;
    this.status.textContent = "Answers cleared. Answer every question, then choose Check score.";
    var first = this.box.querySelector(ANSWER);
    if (first) first.focus();
  };

  // A quick check: mkdocs-quiz submits a question as soon as an answer is chosen, which would
  // also happen when a keyboard user merely moves through the options with the arrow keys.
  // Such a move is held; Enter or Space then submits the focused answer.
  function QuickCheck(box) {
    this.box = box;
    this.status = box.querySelector(".quick-check-status");
    this.arrowed = false;
  }

  QuickCheck.prototype.start = function () {
    var self = this;
    this.box.addEventListener(
      "keydown",
      function (event) {
        self.keydown(event);
      },
      true,
    );
    this.box.addEventListener(
      "submit",
      function (event) {
        self.submit(event);
      },
      true,
    );
    this.box.querySelectorAll(".quiz").forEach(explain);
  };

  QuickCheck.prototype.keydown = function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(ANSWER)) return;
    var quiz = input.closest(".quiz");
    if (ARROWS.indexOf(event.key) >= 0) {
      this.arrowed = true;
    } else if ((event.key === "Enter" || event.key === " ") && input.checked && !submitted(quiz)) {
      event.preventDefault();
      this.arrowed = false;
      input.form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    }
  };

  QuickCheck.prototype.submit = function (event) {
    var quiz = event.target.closest(".quiz");
    if (this.arrowed) {
      this.arrowed = false;
      event.preventDefault();
      event.stopImmediatePropagation();
      this.status.textContent = "Press Enter to check the selected answer.";
      return;
    }
    this.status.textContent = "";
    // mkdocs-quiz's own submit handler (on the form) runs after this capturing one.
    queueMicrotask(function () {
      explain(quiz);
    });
  };

  function init() {
    document.querySelectorAll(".lesson-quiz:not([data-ready])").forEach(function (box) {
      box.setAttribute("data-ready", "");
      new LessonQuiz(box).start();
    });
    document.querySelectorAll(".quick-check:not([data-ready])").forEach(function (box) {
      box.setAttribute("data-ready", "");
      new QuickCheck(box).start();
    });
    showTicks();
  }

  // Registered after mkdocs-quiz's own listener (its script sits in the page body), so the
  // answers it restores from localStorage are in place when this runs.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
