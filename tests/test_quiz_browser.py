"""The chapter quiz and the quick checks in a real browser.

Feedback stays hidden until "Check score"; then every question explains the chosen option and,
after a wrong answer, the correct one, both labelled. Eight correct answers complete the
lesson, seven do not; completion survives a reload and shows as a tick beside every link to
the chapter; "Retake" clears the answers. Quick checks answer at once and count towards
nothing. Everything works from the keyboard alone and from the site's own origin (other hosts
are blocked and recorded). Screenshots (1280 px and 390 px wide) go to test-artifacts/.
"""

from __future__ import annotations

from coursebuild import quiz
from tests.browser import IS_SHOWN, save_element_screenshot, save_screenshot
from tests.projects import SNIPPETS

QUIZ_DATA = quiz.load_quiz(SNIPPETS / "logistic_regression" / "quiz.yml")
CHAPTER = f"{QUIZ_DATA.lesson}.html"
HOME = "index.html"
STORE = "access-review-ml:completed-lessons"
ANSWER = 'input[name="answer"]'


def questions(page):
    """The quiz's question blocks, in page order."""
    return page.locator(".lesson-quiz .quiz")


def check_questions(page):
    """The quick checks' question blocks, in page order."""
    return page.locator(".quick-check .quiz")


def explanations(block):
    """The labelled explanations shown in a question's feedback box."""
    return block.locator(".quiz-feedback .quiz-explanation")


def shows_explanations(block, count: int) -> bool:
    """Wait until ``block`` shows ``count`` explanations (False if it never does)."""
    from playwright.sync_api import expect

    try:
        expect(explanations(block)).to_have_count(count)
    except AssertionError:
        return False
    return True


def option_feedback(block, selector: str) -> str:
    """The feedback text mkdocs-quiz rendered (hidden) for the option ``selector`` picks."""
    return block.locator(f"div:has(> {ANSWER}{selector}) .answer-feedback").text_content().strip()


def answer(page, index: int, right: bool, pointer: bool = False) -> None:
    """Pick the correct option of question ``index``, or its first wrong one.

    With ``pointer`` the mouse clicks it (scrolled into view, as a learner would); otherwise
    a click event is sent to the option, which the page handles alike, much faster.
    """
    choice = "[data-correct]" if right else ":not([data-correct])"
    option = questions(page).nth(index).locator(f"{ANSWER}{choice}").first
    if pointer:
        option.check()
    else:
        option.dispatch_event("click")
        assert option.is_checked()


def answer_all(page, right: int, pointer: bool = False) -> None:
    """Answer every question: the first ``right`` correctly, the rest wrongly.

    Without ``pointer`` one script sends every click event (a round trip per option costs
    more than the page's handling of it), and each option must then be checked.
    """
    if pointer:
        for index in range(questions(page).count()):
            answer(page, index, index < right, pointer)
        return
    checked = page.evaluate(
        """([right, answer]) => [...document.querySelectorAll('.lesson-quiz .quiz')].map(
          (block, index) => {
            const choice = index < right ? '[data-correct]' : ':not([data-correct])';
            const option = block.querySelector(answer + choice);
            option.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
            return option.checked;
          })""",
        [right, ANSWER],
    )
    assert checked == [True] * len(QUIZ_DATA.questions)


def score_text(page) -> str:
    """What the live region says."""
    return page.locator(".lesson-quiz-score").inner_text()


def completed(page) -> dict:
    """The completed lessons kept in localStorage."""
    return page.evaluate(f"JSON.parse(localStorage.getItem('{STORE}') || '{{}}')")


def visible_feedback(page) -> int:
    """How many questions show their feedback box (a box, and not ``visibility: hidden``)."""
    return page.eval_on_selector_all(
        ".lesson-quiz .quiz-feedback", f"boxes => boxes.filter({IS_SHOWN}).length"
    )


def ticks(page) -> list[str]:
    """Hrefs of the links that carry a completion tick."""
    return page.eval_on_selector_all(
        "a:has(.lesson-tick)", "links => links.map(a => a.getAttribute('href'))"
    )


def test_page_renders_the_data_accessibly(read):
    page = read(CHAPTER)
    assert questions(page).count() == len(QUIZ_DATA.questions)
    for index, question in enumerate(QUIZ_DATA.questions):
        block = questions(page).nth(index)
        inputs = block.locator(ANSWER)
        assert inputs.count() == len(question.options)
        correct = [o.correct for o in question.options].index(True)
        assert inputs.nth(correct).get_attribute("data-correct") == "true"
        assert block.locator(f"{ANSWER}[data-correct]").count() == 1
        label = block.locator("fieldset").get_attribute("aria-labelledby")
        assert page.locator(f"#{label}").inner_text().strip(), "fieldset without a name"
        assert "{{" not in block.inner_text(), "a binding was left unresolved"
    assert page.get_attribute(".lesson-quiz-score", "role") == "status"
    assert page.locator(".lesson-quiz .quiz form button:visible").count() == 0
    assert page.locator(".lesson-quiz-retake").is_hidden()


def test_ten_correct_complete_the_lesson_and_survive_a_reload(revisit, site_url):
    page = revisit(CHAPTER, "quiz")
    answer_all(page, right=10, pointer=True)
    assert visible_feedback(page) == 0, "feedback shown before Check score"
    page.get_by_role("button", name="Check score").click()
    assert "10 of 10" in score_text(page)
    assert "Lesson complete" in score_text(page)
    assert visible_feedback(page) == 10
    assert QUIZ_DATA.lesson in completed(page)
    page.locator(".lesson-quiz-score").scroll_into_view_if_needed()
    save_screenshot(page, "quiz-completed")  # the viewport, the score in it

    page.reload(wait_until="load")
    assert "10 of 10" in score_text(page)
    assert "Lesson complete" in score_text(page)
    assert page.locator(f"{ANSWER}:checked").count() == 10
    assert page.locator(f"nav a[href$='{CHAPTER}'] .lesson-tick").count() >= 1
    page.goto(site_url + HOME, wait_until="load")
    assert f"{QUIZ_DATA.lesson}.html" in " ".join(ticks(page))
    assert page.locator(f"article a[href$='{CHAPTER}'] .lesson-tick").count() >= 1
    assert page.locator(f"nav a[href$='{CHAPTER}'] .lesson-tick").count() >= 1


def test_seven_fail_retake_clears_eight_pass_and_a_later_failure_keeps_it(revisit):
    page = revisit(CHAPTER, "quiz")
    answer_all(page, right=QUIZ_DATA.pass_mark - 1)
    page.get_by_role("button", name="Check score").click()
    assert "7 of 10" in score_text(page)
    assert "Not complete" in score_text(page)
    assert completed(page) == {}, "seven correct answers completed the lesson"
    assert ticks(page) == []
    page.reload(wait_until="load")
    assert "7 of 10" in score_text(page), "the score did not survive a reload"
    assert ticks(page) == []

    page.get_by_role("button", name="Retake").click()
    assert page.locator(f"{ANSWER}:checked").count() == 0, "Retake left answers checked"
    assert page.locator(f"{ANSWER}:disabled").count() == 0
    assert visible_feedback(page) == 0
    assert page.get_by_role("button", name="Check score").is_visible()
    assert page.locator(".lesson-quiz-retake").is_hidden()
    page.reload(wait_until="load")
    assert page.locator(f"{ANSWER}:checked").count() == 0, "a reload brought answers back"
    assert "Score" not in score_text(page)

    answer_all(page, right=QUIZ_DATA.pass_mark)
    page.get_by_role("button", name="Check score").click()
    assert "Lesson complete" in score_text(page), "eight correct answers are not enough"
    assert QUIZ_DATA.lesson in completed(page)

    page.get_by_role("button", name="Retake").click()
    answer_all(page, right=0)
    page.get_by_role("button", name="Check score").click()
    assert "0 of 10" in score_text(page)
    assert completed(page)[QUIZ_DATA.lesson]["score"] == QUIZ_DATA.pass_mark, "completion lost"
    assert page.locator(f"nav a[href$='{CHAPTER}'] .lesson-tick").count() >= 1


def test_check_score_waits_then_explains_each_answer_labelled(revisit):
    page = revisit(CHAPTER, "quiz")
    for index in range(8):
        answer(page, index, right=True)
    page.get_by_role("button", name="Check score").click()
    assert "question 9, 10" in score_text(page), "Check score did not name the open questions"
    assert visible_feedback(page) == 0
    assert completed(page) == {}

    answer_all(page, right=10)
    answer(page, 0, right=False)
    answer(page, 1, right=False)
    first, second = questions(page).nth(0), questions(page).nth(1)
    expected = option_feedback(first, ":checked")
    assert expected
    chosen, correct = option_feedback(second, ":checked"), option_feedback(second, "[data-correct]")
    chosen_label = second.locator(f"div:has(> {ANSWER}:checked) label").inner_text()
    assert not first.locator(".quiz-feedback").is_visible()
    page.get_by_role("button", name="Check score").click()

    assert first.locator(".quiz-feedback").is_visible()
    assert expected in first.locator(".quiz-feedback").inner_text()
    assert first.locator(f"div.wrong > {ANSWER}:checked").count() == 1
    assert first.locator(f"div.correct > {ANSWER}[data-correct]").count() == 1
    assert first.locator(ANSWER + ":enabled").count() == 0, "answers stay editable after checking"
    described = first.locator("fieldset").get_attribute("aria-describedby")
    assert expected in page.locator(f"#{described}").inner_text()

    shown = explanations(second)
    assert shown.count() == 2
    assert shown.nth(0).is_visible()
    assert shown.nth(1).is_visible()
    assert shown.nth(0).inner_text().startswith("\u2717 Your answer is not correct: ")
    assert chosen_label in shown.nth(0).inner_text()
    assert chosen in shown.nth(0).inner_text()
    assert shown.nth(1).inner_text().startswith("\u2713 Correct answer: ")
    assert correct in shown.nth(1).inner_text()
    described = page.locator("#" + second.locator("fieldset").get_attribute("aria-describedby"))
    assert chosen in described.inner_text()
    assert correct in described.inner_text()
    right = explanations(questions(page).nth(2))
    assert right.count() == 1
    assert right.first.inner_text().startswith("\u2713 Your answer is correct: ")
    assert option_feedback(questions(page).nth(2), "[data-correct]") in right.first.inner_text()

    page.reload(wait_until="load")
    assert shows_explanations(second, 2), "a reload shows both explanations again"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        save_element_screenshot(second, f"quiz-question-checked-{width}")


def test_explanations_are_legible_in_the_dark_scheme(revisit):
    page = revisit(CHAPTER, "quiz", width=390, scheme="dark")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    answer_all(page, right=10)
    answer(page, 1, right=False)
    page.get_by_role("button", name="Check score").click()
    block = questions(page).nth(1)
    text_colour = explanations(block).first.evaluate("el => getComputedStyle(el).color")
    body_colour = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color")
    assert text_colour == body_colour, "explanations keep the theme's text colour"
    save_element_screenshot(block, "quiz-question-checked-390-dark")


def tab_until(page, condition: str, limit: int = 400) -> None:
    """Press Tab until the JavaScript ``condition`` about the focused element holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_keyboard_alone_answers_the_quick_checks_and_completes_the_lesson(revisit):
    page = revisit(CHAPTER, "quiz")
    tab_until(page, "el.name === 'answer' && el.closest('.quick-check') !== null")
    block = check_questions(page).nth(0)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.checked")
    assert explanations(block).count() == 0, "an arrow key only moves through the options"
    assert "Press Enter" in page.locator(".quick-check-status").first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert shows_explanations(block, 1)
    chosen = block.locator(f"{ANSWER}:checked")
    assert chosen.get_attribute("value") == "2", "Enter answered with the focused option"
    assert page.locator(".quick-check-status").first.inner_text() == ""
    other = check_questions(page).nth(1)
    other.locator(ANSWER).first.focus()
    page.keyboard.press("Space")
    assert shows_explanations(other, 2), "Space on an option answers at once"

    for index, question in enumerate(QUIZ_DATA.questions):
        current = f"document.querySelectorAll('.lesson-quiz .quiz')[{index}]"
        tab_until(page, f"el.name === 'answer' && el.closest('.quiz') === {current}")
        target = [o.correct for o in question.options].index(True)
        page.keyboard.press("Space" if target == 0 else "ArrowDown")
        for _ in range(max(target - 1, 0)):
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.hasAttribute('data-correct')")
    tab_until(page, "el.classList.contains('lesson-quiz-check')")
    page.keyboard.press("Enter")
    assert "10 of 10" in score_text(page)
    assert "Lesson complete" in score_text(page)
    assert page.evaluate("document.activeElement.classList.contains('lesson-quiz-score')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('lesson-quiz-retake')")
    page.keyboard.press("Enter")
    assert page.locator(f".lesson-quiz {ANSWER}:checked").count() == 0, (
        "Retake left quiz answers checked"
    )


def test_completion_from_file_url_ticks_the_home_page(visit, built_site):
    page, _ = visit((built_site / CHAPTER).as_uri())
    answer_all(page, right=10)
    page.get_by_role("button", name="Check score").click()
    assert "Lesson complete" in score_text(page)
    page.goto((built_site / HOME).as_uri(), wait_until="load")
    assert page.locator(f"article a[href$='{CHAPTER}'] .lesson-tick").count() >= 1


# ---------------------------------------------------------------- quick checks


def test_quick_checks_sit_outside_the_quiz_and_keep_its_numbering(read):
    page = read(CHAPTER)
    assert page.locator(".quick-check").count() == 3
    assert page.locator(".lesson-quiz .quick-check, .quick-check .lesson-quiz").count() == 0
    assert check_questions(page).count() == 6
    assert page.locator(".quick-check .quiz-number").count() == 0
    assert page.locator(".quick-check .quiz-header-link:visible").count() == 0, "over the text"
    numbers = page.locator(".lesson-quiz .quiz-number").all_inner_texts()
    assert numbers == [f"Question {n}" for n in range(1, 11)]
    for box in page.locator(".quick-check").all():
        assert box.locator(".admonition-title").inner_text().strip() == "Quick check"
        assert "do not count towards the chapter quiz" in box.inner_text()


def test_quick_check_answers_at_once_and_counts_towards_nothing(revisit):
    page = revisit(CHAPTER, "quiz")
    first, second = check_questions(page).nth(0), check_questions(page).nth(1)
    correct = option_feedback(first, "[data-correct]")
    first.locator(f"{ANSWER}:not([data-correct])").first.check()
    assert shows_explanations(first, 2), "feedback without any Check score"
    assert explanations(first).nth(0).inner_text().startswith("\u2717 Your answer is not correct")
    assert correct in explanations(first).nth(1).inner_text()
    assert first.locator(ANSWER + ":enabled").count() == 0
    second.locator(f"{ANSWER}[data-correct]").check()
    assert shows_explanations(second, 1)
    assert explanations(second).first.inner_text().startswith("\u2713 Your answer is correct")
    assert visible_feedback(page) == 0, "the chapter quiz stays unanswered"
    assert score_text(page) == ""
    assert completed(page) == {}
    first.scroll_into_view_if_needed()
    save_element_screenshot(page.locator(".quick-check").first, "quick-check-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    save_element_screenshot(page.locator(".quick-check").first, "quick-check-390")

    answer_all(page, right=QUIZ_DATA.pass_mark - 1)
    page.get_by_role("button", name="Check score").click()
    assert "7 of 10" in score_text(page)
    assert completed(page) == {}
    page.get_by_role("button", name="Retake").click()
    assert shows_explanations(first, 2), "Retake leaves the quick checks alone"
    answer_all(page, right=QUIZ_DATA.pass_mark)
    page.get_by_role("button", name="Check score").click()
    assert "8 of 10" in score_text(page)
    assert QUIZ_DATA.lesson in completed(page)
    page.reload(wait_until="load")
    assert shows_explanations(first, 2), "a reload shows the check's explanations again"
    assert "8 of 10" in score_text(page)
