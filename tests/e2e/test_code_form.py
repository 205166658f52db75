"""The emailed-code form as a visitor meets it after a mistake (issue 10): the page still says where the code
went, and there is a way out that does not depend on the code arriving."""

from __future__ import annotations

import html
import re

from authkit import create_workos_user
from test_headless import PASSWORD, headless, post_login, unique_email  # noqa: F401  (fixture)


def test_a_wrong_code_keeps_the_instructions_and_offers_a_way_back(headless, session_factory, wp_url, emulator_url):  # noqa: F811
    email = unique_email("codeform")
    create_workos_user(emulator_url, email, PASSWORD, email_verified=False)
    s = session_factory(wp_url)
    r = post_login(s, wp_url, email, PASSWORD)
    assert r.status_code == 302 and "action=workos_verify" in r.headers["Location"]
    form = s.get(r.headers["Location"], allow_redirects=False)
    token = html.unescape(re.search(r'name="token" value="([^"]+)"', form.text).group(1))
    first = html.unescape(form.text)
    assert email in first and 'id="nav"' in first and "Start over" in first

    wrong = s.post("/wp-login.php?action=workos_verify", data={"token": token, "code": "000000"}, allow_redirects=False)
    page = html.unescape(wrong.text)
    assert wrong.status_code == 400 and "not valid" in page
    # Where the code went is still said, beside the error, and the form is still there.
    assert email in page and 'name="code"' in page
    nav = re.search(r'<p id="nav"><a href="([^"]+)">([^<]+)</a>', page)
    assert nav and nav.group(2) == "Start over" and "wp-login.php" in nav.group(1)
