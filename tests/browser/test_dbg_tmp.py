import pytest
from .test_outing_on_a_phone import seed_last_outings, total_shown

def active(page):
    return page.evaluate("() => { const a = document.activeElement; return a ? (a.tagName + '#' + a.id + '[' + (a.name||'') + ']' + ' in ' + (a.closest('form') ? a.closest('form').dataset.testid : '-')) : null }")

@pytest.mark.parametrize("viewport", ["desktop"])
def test_dbg(page, viewport, live_network, signed_in):
    user = signed_in("outreach", at="partner")
    seed_last_outings(live_network, user)
    page.goto("/outreach/outings/new/")
    page.keyboard.press("Tab"); print("1", active(page))
    page.keyboard.press("Enter"); print("2", active(page))
    for i in range(8):
        page.keyboard.press("Tab"); print("tab", active(page))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.keyboard.press("Tab"); print("1", active(page))
    page.keyboard.press("Enter"); print("2", active(page))
    for i in range(6):
        page.keyboard.press("Tab"); print("tab", active(page))
    page.keyboard.type("D"); print("val", page.evaluate("document.activeElement.value"))
    page.keyboard.press("Tab"); page.keyboard.type("2"); print("val", page.evaluate("document.activeElement.value"))
    page.keyboard.press("Enter"); page.wait_for_timeout(800); print("after enter on select", page.locator("[data-testid=contact-total]").inner_text(), active(page))
    page.keyboard.press("Tab"); page.keyboard.press("Tab"); print(active(page))
    page.keyboard.press("Enter"); total_shown(page, 1); print("after enter in languages", active(page))
    # focus after swap of a select
    page.keyboard.press("Shift+Tab"); page.keyboard.press("Shift+Tab"); page.keyboard.press("Shift+Tab"); print(active(page))
    # headcount
    for i in range(20):
        page.keyboard.press("Tab")
        a = active(page)
        if "headcount" in a and "INPUT" in a: break
    print("at", active(page), i)
    page.keyboard.type("3"); page.keyboard.press("Enter"); total_shown(page, 2); print("after headcount", active(page))
    page.keyboard.press("Tab"); print("next tab", active(page))
    # summary & facts
    page.locator("#contact-entry details > summary").focus(); page.keyboard.press("Enter"); print("details open", page.evaluate("document.querySelector('#contact-entry details').open"))
    page.keyboard.press("Tab"); page.keyboard.type("Joy"); page.keyboard.press("Tab"); page.keyboard.type("Osas"); page.keyboard.press("Tab"); page.keyboard.type("1999")
    page.keyboard.press("Tab"); page.keyboard.type("Nig"); print("nat", page.evaluate("document.activeElement.value"))
    page.keyboard.press("Tab"); page.keyboard.type("D"); print("g", page.evaluate("document.activeElement.value"))
    page.keyboard.press("Enter"); page.wait_for_timeout(800); print("enter on facts select:", page.locator("[data-testid=computed-code]").count())
    page.keyboard.press("Tab"); page.keyboard.press("Tab"); print(active(page))
    page.keyboard.press("Enter"); page.wait_for_timeout(800); print("computed:", page.locator("[data-testid=computed-code]").count(), active(page))
    for i in range(5):
        page.keyboard.press("Tab"); print("tab", active(page), page.evaluate("document.activeElement.innerText"))
