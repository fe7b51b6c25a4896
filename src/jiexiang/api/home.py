"""The front page while the command centre (web/) is not built: what this server is, and how to build it."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from jiexiang import __version__
from jiexiang.core.config import Mode
from jiexiang.core.http import SessionDep, SettingsDep
from jiexiang.domains.places.models import Alley, Subdistrict

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>街巷 Jiexiang</title>
<style>body{{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:44rem;margin:3rem auto;
padding:0 1rem;color:#1f2933}}
.banner{{background:#fff4e5;border:1px solid #f0b35a;padding:.75rem 1rem;border-radius:6px}}
a{{color:#0b6bcb}}</style></head><body>
<h1>街巷 · 背街小巷治理平台</h1>
{banner}
<p>{subdistricts}，已登记街巷 {alleys} 条。</p>
<ul>
<li><a href="/docs">接口文档（OpenAPI）</a></li>
<li><a href="/api/health">运行状态</a></li>
</ul>
<p>地图指挥中心（前端）尚未构建：运行 <code>bash scripts/demo.sh</code>，
或 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code> 后重启服务。版本 {version}。</p>
</body></html>"""

_DEMO_BANNER = (
    '<p class="banner"><strong>演示模式：</strong>本站数据均为程序生成的虚拟数据，街道名称取自公开资料，'
    "位置、人员、部件等均为随机生成，不代表真实情况。演示账号密码为 jiexiang-demo。</p>"
)


@router.get("/", response_class=HTMLResponse)
def home(session: SessionDep, settings: SettingsDep) -> str:
    names = list(session.scalars(select(Subdistrict.name).order_by(Subdistrict.code)))
    alleys = session.scalar(select(func.count()).select_from(Alley)) or 0
    return _PAGE.format(
        banner=_DEMO_BANNER if settings.mode is Mode.demo else "",
        subdistricts=escape("、".join(names)) if names else "尚未导入街道数据",
        alleys=alleys,
        version=__version__,
    )
