"""axe-core (tests/browser/vendor/axe-core, MPL-2.0, from npm) run in the page: the WCAG 2.x A and AA
rules, and, at phone width, no page wider than the screen."""
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def axe_violations(page) -> list[str]:
    """One readable line per violated rule and offending element, empty when the page passes.
    The page's context must bypass the CSP (new_context(bypass_csp=True)): axe is injected."""
    page.add_script_tag(path=str(AXE))
    # target-size (WCAG 2.5.8, 24 px targets) is tagged wcag22aa but off by default in axe 4.x: turned on.
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "rules: {'target-size': {enabled: true}}})", WCAG_TAGS)
    return [f"{violation['id']}: {violation['help']} at {node['target']}"
            for violation in result["violations"] for node in violation["nodes"]]


def overflows_horizontally(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def check_page(page, url: str) -> list[str]:
    """The problems of `url` at desktop and phone width (an empty list when there are none)."""
    problems = []
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{url} ({name}): HTTP {response.status if response else 'no response'}")
            continue
        problems += [f"{url} ({name}): {line}" for line in axe_violations(page)]
        if name == "phone" and overflows_horizontally(page):
            problems.append(f"{url} (phone): wider than the screen")
    return problems


def check_pages_as(browser, base_url: str, pages: dict) -> list[str]:
    """The problems of each user's pages: `pages` maps an e-mail (None: signed out) to the
    URLs that user sees, checked as check_page does, in one browser context per user."""
    from tests.browser.test_review_journey import sign_in

    problems = []
    for email, urls in pages.items():
        context = browser.new_context(base_url=base_url, bypass_csp=True)  # to inject axe
        page = context.new_page()
        if email:
            sign_in(page, email)
        for url in urls:
            problems += check_page(page, url)
        context.close()
    return problems
