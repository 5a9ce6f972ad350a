"""The few server-rendered pages (activation, unsubscribe): one look, readable on a phone,
no external resources."""

from __future__ import annotations

from html import escape

STYLE = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
Arial,sans-serif;background:#f4f6f8;color:#1f2933}main{max-width:28rem;margin:2rem auto;
padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.7rem;font-size:1rem;border:1px solid #9aa5b1;border-radius:6px}
input:focus{outline:3px solid #93c5fd;border-color:#1d4ed8}button{margin-top:1.25rem;width:100%;
padding:.8rem;font-size:1rem;font-weight:600;color:#fff;background:#1d4ed8;border:0;
border-radius:6px;cursor:pointer}button:disabled{background:#64748b}.error{color:#b91c1c;
margin-top:.75rem}.hint{color:#52606d;font-size:.9rem}a.button{display:block;text-align:center;
margin-top:1rem;padding:.8rem;background:#1d4ed8;color:#fff;border-radius:6px;
text-decoration:none;font-weight:600}
"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body><main>{body}</main></body></html>
"""
