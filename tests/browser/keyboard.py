"""Driving a page with the keyboard alone, as a user without a mouse does.

Locators only *name* the control a user is looking for; nothing is clicked or filled
through them. `tab_to` presses Tab (or Shift+Tab) until that control has the focus, so
reaching it proves it is focusable and comes within a sensible number of stops; every
control it lands on, on the way too, must show a visible focus indicator (WCAG 2.4.7).
Values are typed, chosen with the arrow keys, ticked with Space, sent with Enter.
"""
from playwright.sync_api import Locator, Page, expect

MAX_PRESSES = 60

# The focused element and whether it shows a focus indicator: an outline or a box-shadow
# (Bootstrap's focus ring) in its computed style. A scrolling box's indicator counts too.
_FOCUS_STATE = """(target) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {visible: Boolean(outline || shadow), tag: el.tagName.toLowerCase(), wanted: el === target,
          text: (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id || '').slice(0, 60)};
}"""


def focused_is(target: Locator) -> bool:
    return target.evaluate("el => el === document.activeElement")


def focus_state(page: Page, target=None) -> dict | None:
    return page.evaluate(_FOCUS_STATE, target)


def assert_focus_visible(page: Page) -> None:
    state = focus_state(page)
    assert state is not None, "nothing has the focus"
    assert state["visible"], f"no visible focus indicator on <{state['tag']}> {state['text']!r}"


def tab_to(page: Page, target: Locator, max_presses: int = MAX_PRESSES, backwards: bool = False) -> None:
    """Press Tab until `target` (one element) has the focus; fail after `max_presses`."""
    expect(target).to_have_count(1)
    handle = target.element_handle()  # one round trip per key press, not two
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        state = focus_state(page, handle)
        if state is not None:
            visited.append(f"<{state['tag']}> {state['text']!r}")
            assert state["visible"], f"no visible focus indicator on {visited[-1]}"
            if state["wanted"]:
                return
    raise AssertionError(f"{target} not reached in {max_presses} presses of {key}; focus went to: "
                         + ", ".join(visited[-15:]))


def activate(page: Page, target: Locator, key: str = "Enter", **kwargs) -> None:
    """Tab to a link or button and press Enter (Space for a check box or radio button)."""
    tab_to(page, target, **kwargs)
    page.keyboard.press(key)


def type_into(page: Page, target: Locator, text: str, **kwargs) -> None:
    """Tab to a text field, select what it holds and type `text` over it."""
    tab_to(page, target, **kwargs)
    page.keyboard.press("ControlOrMeta+a")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


def type_date(page: Page, target: Locator, iso: str, **kwargs) -> None:
    """Tab to a date field and type the date as an en-US user does (month, day, year; the
    field moves on by itself)."""
    year, month, day = iso.split("-")
    tab_to(page, target, **kwargs)
    page.keyboard.type(f"{month}{day}{year}")
    expect(target).to_have_value(iso)


def choose(page: Page, target: Locator, label: str, **kwargs) -> None:
    """Tab to a drop-down list (or a list box) and move through it with the arrow keys until
    the option `label` is chosen."""
    tab_to(page, target, **kwargs)
    labels = target.evaluate("el => Array.from(el.options, o => o.text.trim())")
    assert label in labels, f"{label!r} is not among the options {labels[:20]}"
    wanted = labels.index(label)
    # Type-ahead jumps near it (never a space: it opens the list), the arrows do the rest.
    page.keyboard.type(label.split(" ")[0][:4])
    for _ in range(len(labels) + 1):
        current = target.evaluate("el => el.selectedIndex")
        if current == wanted:
            break
        page.keyboard.press("ArrowDown" if current < wanted else "ArrowUp")
    assert target.evaluate("el => el.selectedIndex") == wanted, f"{label!r} could not be chosen with the arrows"


def tick(page: Page, target: Locator, **kwargs) -> None:
    """Tab to a check box and tick it with Space."""
    tab_to(page, target, **kwargs)
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def check_skip_link(page: Page) -> None:
    """Call it on a page just loaded, before any key is pressed. The first Tab stop of the page is a visible "Skip to content" link; Enter on it takes
    the keyboard past the menu, so the next Tab lands inside the main content."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert focused_is(skip), "the first Tab stop is not the skip link"
    expect(skip).to_be_visible()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("Boolean(document.activeElement.closest('main'))"), (
        "after the skip link, Tab does not land inside <main>")


# Boxes that scroll their content (a wide table at phone width) but are not themselves in the
# tab order: a keyboard can reach the links inside, never the columns beyond them.
_UNFOCUSABLE_SCROLLERS = """() => Array.from(document.querySelectorAll('main *')).filter(el => {
  const style = getComputedStyle(el);
  const scrolls = (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
               || (['auto', 'scroll'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
  return scrolls && el.tabIndex < 0;
}).map(el => el.outerHTML.slice(0, 120))"""


def unfocusable_scrollers(page: Page) -> list[str]:
    return page.evaluate(_UNFOCUSABLE_SCROLLERS)


def scroll_with_arrows(page: Page, region: Locator, **kwargs) -> None:
    """Tab to a scrolling box and scroll it sideways with the right arrow."""
    tab_to(page, region, **kwargs)
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the box does not scroll: nothing to prove"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=2000)
