"""``--help`` in the user's language, without Python types: one pass over the click command tree,
made by :class:`powerlist.cli.app.PowerlistGroup` before click parses (and so before any help is
rendered).

- Chinese: every command's and option's help comes from the tables below, keyed by command path
  (``""`` the root, ``"laws search"``) and parameter name; ``tests/test_help_zh.py`` fails when a
  command or option has English help and no entry here.
- Both languages: typer shows a parameter's Python type (``<bool>``, ``<list[str]>``,
  ``<int range> [x>=1]``); flags show nothing, values a plain placeholder, a range goes into the help
  in words. Typer's command list keeps a docstring's single line breaks in rich mode (the list
  broke mid-sentence), so help paragraphs are unwrapped here, once, for every command.

The objects are freshly built by typer for each run; they are adjusted by switching them to small
subclasses (``__class__``) that override only the display methods, since typer offers no hook for
parameters it builds itself (``--help``, ``--install-completion``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

from typer.core import TyperArgument, TyperOption

from powerlist.i18n import NO_LINE_START, Lang, lang_from_env

ROOT = ""

# Command path -> the command's help in Chinese (first paragraph: the line in the command list).
COMMANDS: dict[str, str] = {
    ROOT: (
        "让行政权力清单（权力清单、行政职权目录）经得起审查：对照法律检查清单，审阅它的变化，发布清理后的清单。\n\n"
        "从这里开始：powerlist check 清单目录（退出码 0 无问题，1 发现问题，2 无法运行）"
    ),
    "check": (
        "检查清单：语法与结构、登记簿、设定依据、重复事项、实施主体、已取消事项、运行流程图和职权类别。\n\n"
        "退出码：0 没有错误；1 发现错误（加 --strict 时警告也算）；2 无法运行。\n\n"
        "示例：\n\n"
        "  powerlist check catalog/\n\n"
        "  powerlist check catalog/ --format json --select J,D\n\n"
        "  powerlist check catalog/ --ignore D003 --strict\n\n"
        "  powerlist check catalog/ --changed-since origin/main --baseline .powerlist-baseline.json\n\n"
        "  powerlist check catalog/powers/water/SL-XK-001.yaml catalog/powers/water/SL-XK-002.yaml\n\n"
        "  cat SL-XK-001.yaml | powerlist check - --stdin-filename catalog/powers/water/SL-XK-001.yaml"
    ),
    "compare": (
        "把多份清单中的同一事项并列比较（一个市的各县区、一个省的各市）。\n\n"
        "两份清单都有基本编码时按基本编码对应，否则按名称和职权类别对应（繁简等写法视为相同：取水許可 = 取水许可）。"
        "对每个事项：哪些清单列有它，它的名称、类别、依据、时限或实施主体类型在哪里与多数不同；"
        "对每份清单：它与多数的差距。\n\n"
        "比较规模很大时 XLSX 和 HTML 表格会截断（文件中注明）；JSON 和 Parquet 保留全部内容。\n\n"
        "示例：\n\n"
        "  powerlist compare catalog/siblings/* --out compare.html\n\n"
        "  powerlist compare exports/*/powers.parquet --out national.parquet"
    ),
    "diff": (
        "按业务口径报告清单两个版本之间的变化：新增、取消（删除或已取消）、调整（逐字段）、划转（改由其他主体实施）、"
        "下放/承接（下放关系变化）。\n\n"
        "报告仅供参考：无论有何变化退出码都是 0；路径或版本有误时为 2。\n\n"
        "示例：\n\n"
        "  powerlist diff catalog-2023/ catalog-2024/\n\n"
        "  powerlist diff --git origin/main catalog/ --format markdown > pr-comment.md"
    ),
    "export": (
        "先检查清单，再发布去掉已取消事项的清单。\n\n"
        "仍有错误时以退出码 1 结束且不写任何文件，除非加 --allow-errors（放行的错误列在 manifest.json 中）。\n\n"
        "写入 OUT：yaml/（清理后的清单）、powers.{csv,xlsx,json,sqlite,parquet}、site/（打开 index.html）、"
        "md/、manifest.json。\n\n"
        "示例：\n\n"
        "  powerlist export catalog/ --out public/\n\n"
        "  powerlist export catalog/ --out public/ --allow-errors\n\n"
        "  powerlist export catalog/ --out public/ --format csv,xlsx"
    ),
    "fmt": (
        "把清单文件改写为规范格式：键按文档顺序，两格缩进，编号列表写成行内形式（next: \\[a, b]）。"
        "注释和数据原样保留；无法解析的文件只报告，不改动。\n\n"
        "退出码：0 无需改动（或已全部写入）；1 加 --check 时有文件需要改动，或有文件无法格式化；2 参数有误。\n\n"
        "示例：\n\n"
        "  powerlist fmt                 # 当前目录的清单\n\n"
        "  powerlist fmt --check catalog/\n\n"
        "  powerlist fmt catalog/powers/water/SL-XK-001.yaml"
    ),
    "graph": (
        "绘制一项职权的运行流程图：每一步谁来办、怎么办、用几天。\n\n"
        "示例：\n\n"
        "  powerlist graph SL-XK-001 --format mermaid\n\n"
        "  powerlist graph SL-XK-001 catalog/ -o SL-XK-001.svg"
    ),
    "import": (
        "把电子表格、Word 表格和 PDF 表格导入为清单，不丢任何内容：每一行要么成为一项职权，要么连同原因列入报告。\n\n"
        "退出码：0 已导入；2 无法导入（来源无法读取、已加密或为扫描件，没有表头行，--out 非空又未加 --update）。\n\n"
        "示例：\n\n"
        "  powerlist import 权责清单.xlsx --out catalog/\n\n"
        "  powerlist import 许可.csv 处罚.xlsx --out catalog/ --dry-run\n\n"
        "  powerlist import 权责清单.xlsx --out catalog/ --update --report 导入问题.xlsx\n\n"
        "  powerlist import 清单.docx --out catalog/ --mapping columns.toml --format json"
    ),
    "new": (
        "新建 powers/<主体>/<编码>.yaml，并按职权类别带上流程图模板：行政许可 受理→审查→决定→送达（含不予受理分支），"
        "行政处罚 立案→调查取证→法制审核→告知→决定→送达→执行，行政强制措施 审批→实施→处理/解除，其他类别为通用流程。\n\n"
        "不会覆盖已有文件，也不会重复使用编码。退出码：0 已创建；2 选项有误（主体或类别不存在，编码或文件已存在）。\n\n"
        "示例：\n\n"
        "  powerlist new --id SL-XK-002 --name 取水许可延续 --category 行政许可 --body city-water "
        "--law 中华人民共和国水法 --article 第四十八条"
    ),
    "report": (
        "为法制机构生成审查报告：按主体和检查类计数，列出每个问题及其事项、说明和法律依据，以及每项豁免及其理由。"
        "与 powerlist check 运行相同的检查。报告文件一次性替换。\n\n"
        "退出码：0 已写入（无论发现什么）；2 无法生成报告。\n\n"
        "示例：\n\n"
        "  powerlist report catalog/ --out 审查报告.xlsx\n\n"
        "  powerlist report catalog/ --out review.html --lang en"
    ),
    "rules": "列出全部检查规则：代码、名称、默认严重程度、说明。",
    "rule": "解释一条检查规则：它禁止什么、法律依据，以及一个会触发它的示例。",
    "schema": (
        "为职权文件、bodies.yaml、laws.yaml 和 decisions.yaml 生成 JSON Schema。\n\n"
        "支持 YAML language server 的编辑器在文件以下面一行开头时，会边输入边校验：\n\n"
        "  # yaml-language-server: $schema=../../schemas/power.schema.json"
    ),
    "laws": "在内置法规库（国家法律、行政法规和七个省的地方性法规）和清单的 laws.yaml 中查找法律文件，laws.yaml 优先。",
    "laws search": (
        "按标题中的词查找法律文件。有匹配时退出码为 0，没有匹配时为 1。\n\n"
        "示例：\n\n"
        "  powerlist laws search 水法\n\n"
        "  powerlist laws search 水资源 条例 --province 浙江 --json"
    ),
    "laws show": (
        "显示一个依据引用如何解析：来自 laws.yaml（加 --catalog 时）或内置法规库，并列出法规库中的每个版本。"
        "无处解析时退出码为 1。\n\n"
        "示例：\n\n"
        "  powerlist laws show 中华人民共和国水法\n\n"
        "  powerlist laws show water-law --catalog catalog/"
    ),
}

# Parameter help in Chinese: "command path:parameter name", or "*:name" for a parameter whose help is
# the same in every command that has it. Square brackets are escaped (\[): help is rich markup.
PARAMS: dict[str, str] = {
    "*:help": "显示本帮助并退出。",
    "*:lang": "消息语言：zh 或 en（默认按系统区域设置；zh_* 为中文）。",
    "*:config": "配置文件（默认：清单目录/powerlist.toml）。",
    "*:catalog": "同位置参数中的清单目录（旧写法）。",
    "*:as_json": "输出机器可读的列表。",
    ":version": "显示版本号并退出。",
    ":lang": "帮助和消息的语言：zh 或 en（默认按系统区域设置）；与命令后的 --lang 相同。",
    ":install_completion": "为当前 shell 安装命令补全。",
    ":show_completion": "显示当前 shell 的命令补全脚本，便于复制或自行安装。",
    "check:paths": (
        "清单目录（含 bodies.yaml、laws.yaml、powers/），或同一清单中的若干文件（检查整个清单，只显示涉及这些文件的问题），"
        "或 -（检查从标准输入读入的一项职权）。默认：当前目录所在的清单（向上查找），或 ./catalog。"
    ),
    "check:fmt": "输出格式：text、json、sarif、github、junit。默认 text；GITHUB_ACTIONS=true 时为 github。",
    "check:select": "只运行这些代码或检查类（J001、J、P0）。用逗号分隔，或重复本选项。",
    "check:ignore": "跳过这些代码或检查类。",
    "check:strict": "警告也使运行失败（退出码 1）。",
    "check:as_of": "把这一天（YYYY-MM-DD）当作今天来判断豁免是否过期，使持续集成结果可复现。",
    "check:output": "把报告写入该文件而不是标准输出（文件所在目录须已存在）。",
    "check:no_source": "文本格式：不显示出问题的原文行。",
    "check:quiet": "文本格式：只输出一行结论（错误和警告的数量），不列问题、汇总表和进度条；其余由退出码说明。",
    "check:show_all": "文本格式：列出每一个问题（否则一个代码超过 5 个问题时折叠为一行并给出数量）。",
    "check:cache_dir": "缓存目录（默认：清单目录/.powerlist_cache）。按文件内容、powerlist 版本和配置区分，不会过时。",
    "check:no_cache": "不读也不写缓存。",
    "check:workers": "解析进程数（默认：小清单 1 个，否则按 CPU 核数）。",
    "check:changed_since": (
        "只报告自该 git 版本以来有改动（或涉及改动）的条目上的问题；每项检查仍看整个清单。用于合并请求检查。"
    ),
    "check:baseline": "该文件中记录的问题（见 --write-baseline）不计入；只有新问题使运行失败。",
    "check:write_baseline": "把当前的问题记录到该文件（供 --baseline 使用），退出码为 0。",
    "check:stdin_filename": (
        "与 - 一起使用：从标准输入读入的职权所在的路径（替换清单中的该文件，并在问题中显示）。"
        "默认：当前目录所在清单中的 <stdin>，没有清单时单独检查。"
    ),
    "check:upper": (
        "用来对照检查的上级清单（清单目录，或 powerlist import 能读取的文件），用于 U 类检查。"
        "可重复；替代 powerlist.toml 中 \\[upper] 的清单。"
    ),
    "compare:inputs": "清单目录、导出目录或 .parquet 导出文件（两个或更多）。",
    "compare:out": "结果文件：.xlsx、.html、.json 或 .parquet（按后缀判断）。",
    "compare:memory_limit": "DuckDB 的内存上限，如 2GB（默认 3GB）；超过后写入临时目录继续。",
    "compare:quiet": "成功时不输出任何内容。",
    "diff:paths": "旧 新（两个清单目录），或配合 --git：清单目录（默认当前清单）。",
    "diff:git": "把清单与该 git 版本（分支、标签、提交）比较。",
    "diff:fmt": "输出格式：text、markdown、json。",
    "diff:output": "把报告写入该文件而不是标准输出。",
    "export:path": "清单目录。默认：当前目录所在的清单（向上查找），或 ./catalog。",
    "export:out": "发布到的目录。先在旁边生成再整体替换；须为新目录、空目录或以前的导出目录。",
    "export:fmt": "逗号分隔的格式：yaml,csv,xlsx,json,sqlite,html,md,parquet（默认全部）。",
    "export:allow_errors": "仍有错误时也发布；manifest.json 列出每个被放行的错误。",
    "export:as_of": "把这一天（YYYY-MM-DD）当作今天来判断豁免是否过期。",
    "export:quiet": "成功时不输出任何内容，不显示进度条。",
    "fmt:paths": "要格式化的文件或目录。默认：当前目录的清单（或 ./catalog）。",
    "fmt:check_only": "不写入；显示统一差异格式的改动，有文件需要改动时退出码为 1。",
    "graph:ident": "职权的编码，如 SL-XK-001。",
    "graph:path": "清单目录（默认：当前目录所在的清单，向上查找；或 ./catalog）。",
    "graph:fmt": "mermaid、dot、svg 之一。默认按 -o 文件的后缀（.svg、.dot、.gv、.mmd），否则为 mermaid。",
    "graph:output": "写入该文件而不是标准输出；后缀须为 .svg、.dot、.gv 或 .mmd。",
    "import:sources": "要导入的文件：.xlsx .xlsm .xls .csv .tsv .docx .pdf（可以多个）。",
    "import:out": "要写入的清单目录（除非加 --update，否则须为空）。",
    "import:update": "更新 --out 中的清单，保留手工添加的内容。",
    "import:mapping": "TOML 文件：\\[columns] \"表头\" = \"字段\"（增加或覆盖同义表头）。",
    "import:dry_run": "只显示列对应关系和计数，不写入。",
    "import:category": "来源没有“职权类型”列时，各行使用的职权类别。",
    "import:body_level": "名称中看不出层级的主体所用的层级（在报告中列出）。",
    "import:fmt": "报告格式：text 或 json。",
    "import:report_file": "另把报告中的问题写成 FILE.xlsx，修正后可重新导入。",
    "new:path": "清单目录（默认：当前目录所在的清单，向上查找；或 ./catalog）。",
    "new:power_id": "新职权的编码，在清单中唯一（如 SL-XK-002）。",
    "new:name": "正式的事项名称。",
    "new:category": "配置的职权类别之一（如 行政许可）。",
    "new:body": "bodies.yaml 中实施主体的编码。",
    "new:catalog": "同位置参数中的清单目录（旧写法）。",
    "new:law": "设定依据：laws.yaml 中的编码或法律文件标题。可重复。",
    "new:article": "第一个 --law 的条款（如 第四十八条）。可重复。",
    "graph:catalog": "同位置参数中的清单目录（旧写法）。",
    "report:path": "清单目录。默认：当前目录所在的清单（向上查找），或 ./catalog。",
    "report:out": "报告文件：.xlsx（工作簿）或 .html（可打印的网页）。",
    "report:lang": "报告语言：zh（默认）或 en。",
    "report:select": "只运行这些代码或检查类。",
    "report:ignore": "跳过这些代码或检查类。",
    "report:as_of": "审查日期 YYYY-MM-DD（默认：今天）。",
    "rule:code": "检查代码，如 J001，或其名称，如 one-matter-one-department。",
    "schema:out": "写入 JSON Schema 的目录。",
    "schema:check_only": "不写入；目录中的 Schema 过时时退出码为 1。",
    "laws search:text": "标题中必须都出现的词，如 水 条例。",
    "laws search:limit": "法规库结果最多显示几条。",
    "laws search:province": "只查国家层面的法律文件和该省的地方性法规，如 浙江。",
    "laws search:catalog": "同时在该清单的 laws.yaml 中查找（优先于法规库）。",
    "laws show:title": "引用时写的标题（《》和“中华人民共和国”可省略），或配合 --catalog 写 laws.yaml 中的编码。",
    "laws show:catalog": "同时在该清单的 laws.yaml 中查找（优先于法规库）。",
    "laws show:as_json": "输出机器可读的结果。",
}

# Placeholders shown instead of typer's Python types: by type, in each language.
_PLACEHOLDER: dict[str, tuple[str, str]] = {
    "path": ("路径", "PATH"),
    "int": ("数字", "N"),
    "float": ("数字", "N"),
    "str": ("文本", "TEXT"),
    "datetime": ("日期", "DATE"),
}


def command_help(path: str) -> str | None:
    return COMMANDS.get(path)


def param_help(path: str, name: str) -> str | None:
    return PARAMS.get(f"{path}:{name}") or PARAMS.get(f"*:{name}")


def lang_of(args: Sequence[str]) -> Lang:
    """The language help is shown in: ``--lang zh`` / ``--lang=zh`` anywhere on the command line,
    else POWERLIST_LANG and the locale (as for messages)."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        else:
            value = arg.partition("=")[2] if arg.startswith("--lang=") else ""
        if value.lower() in ("zh", "en"):
            return value.lower()  # type: ignore[return-value]
    return lang_from_env()


def unwrap(text: str) -> str:
    """Help with each paragraph on one line: a docstring's line breaks are for the source, not for
    the terminal (rich rewraps). Indented lines (examples) and ``\\b`` blocks keep their breaks."""
    out = []
    for para in inspect.cleandoc(text).split("\n\n"):
        lines = para.split("\n")
        if para.startswith("\b") or any(ln.startswith(" ") for ln in lines):
            out.append(para)
        else:
            out.append(" ".join(ln.strip() for ln in lines))
    return "\n\n".join(out)


def localise(cmd: Any, lang: Lang, path: str = ROOT) -> None:
    """Adjust the command tree under ``cmd`` for help in ``lang`` (see the module docstring)."""
    zh = lang == "zh"
    cmd.__class__ = _localised(type(cmd))
    cmd.powerlist_lang = lang
    cmd.powerlist_path = path
    translated = command_help(path) if zh else None
    if translated is not None:
        cmd.help = translated
        cmd.short_help = None
    elif cmd.help:
        cmd.help = unwrap(cmd.help)
    if zh:
        cmd.options_metavar = "[选项]"
        if hasattr(cmd, "subcommand_metavar"):
            cmd.subcommand_metavar = "命令 [参数]..."
    for name, sub in getattr(cmd, "commands", {}).items():
        if zh and not sub.rich_help_panel:  # unset, or typer's DefaultPlaceholder (falsy)
            sub.rich_help_panel = "命令"
        localise(sub, lang, f"{path} {name}".strip())
    if zh:
        _fit_commands(cmd)


# Rich wraps at spaces only and cuts a longer run with "…": a Chinese sentence has no spaces, so
# Chinese help in typer's tables (which wrap with that default) is broken into lines here, to the
# width the table will give it, and kept as written (typer's "\b" paragraphs).


def _console_width() -> int:
    from rich.console import Console
    from typer import rich_utils

    return Console(width=rich_utils.MAX_WIDTH).width


def wrap_cjk(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells, broken between Chinese characters or
    at spaces, never before closing punctuation and never inside an ASCII word."""
    from rich.cells import cell_len

    tokens = re.findall(r"[!-~]+ *| +|.", text)  # ASCII words (with their spaces), or one character
    lines: list[list[str]] = [[]]
    for tok in tokens:
        line = lines[-1]
        if not line or cell_len("".join(line) + tok.rstrip()) <= width:
            line.append(tok)
        elif tok[0] in NO_LINE_START and len(line) > 1:
            # the token before goes down with it, and so on while that one may not start a line
            # either (已取消）、: the 、 takes ） and 消 along)
            carry = [tok]
            while len(line) > 1 and carry[0][0] in NO_LINE_START:
                carry.insert(0, line.pop())
            lines.append(carry)
        else:
            lines.append([tok.lstrip()] if tok.strip() else [])
    return [s for s in ("".join(ln).rstrip() for ln in lines) if s]


def _fit(text: str, width: int) -> str:
    paragraphs = [" \n".join(wrap_cjk(p.replace("\n", " "), width)) for p in text.split("\n\n")]
    return "\b\n" + "\n".join(paragraphs) if paragraphs else text


def _fit_params(params: list[Any]) -> None:
    """Break each shown parameter's Chinese help to the width of typer's help column."""
    from rich.cells import cell_len

    shown = [p for p in params if not getattr(p, "hidden", False) and p.help]
    if not shown:
        return
    # the columns left of the help: long names, short names, negative forms, placeholder; each
    # padded by one cell on both sides, plus the required marker and the panel's border
    left = [max((cell_len(",".join(c(p))) for p in shown), default=0) for c in (
        lambda p: [o for o in p.opts if o.startswith("--")],
        lambda p: [o for o in p.opts if not o.startswith("--")],
        lambda p: list(p.secondary_opts),
        lambda p: [p.display_type_rich(None) or ""],
    )]
    width = _console_width() - sum(left) - 2 * len(left) - 8
    for p in shown:
        p.help = _fit(p.help, max(width, 16))


def _fit_commands(group: Any) -> None:
    """The Chinese command list: each command's first paragraph broken to the list's width."""
    commands = getattr(group, "commands", {})
    if not commands:
        return
    width = _console_width() - max(len(n) for n in commands) - 8
    for sub in commands.values():
        if sub.help:
            sub.short_help = _fit(sub.help.split("\n\n")[0], max(width, 16))


def _plain(param: Any, lang: Lang, path: str) -> None:
    """One parameter: Chinese help and panel, a placeholder instead of its type, a range in words."""
    if getattr(param, "powerlist_done", False):
        return
    param.powerlist_done = True
    zh = lang == "zh"
    if isinstance(param, TyperArgument):
        param.__class__ = _PlainArgument
    elif isinstance(param, TyperOption):
        shown = _placeholder(param, lang)
        opt: Any = param  # about to be a _PlainOption, which has the field
        opt.__class__ = _PlainOption
        opt.powerlist_placeholder = shown
    else:
        return
    if zh:
        text = param_help(path, param.name or "")
        if text is not None:
            param.help = text
        if not getattr(param, "rich_help_panel", None):
            param.rich_help_panel = "参数" if isinstance(param, TyperArgument) else "选项"
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None or hi is not None:
        param.help = (param.help or "") + _range_words(lo, hi, zh)


def _placeholder(param: TyperOption, lang: Lang) -> str | None:
    if param.is_flag or param.count:
        return None
    desc = param.type_descriptor
    if desc.is_choice and desc.choices:
        return "|".join(str(c) for c in desc.choices)
    kind = "path" if desc.is_path else "datetime" if desc.is_datetime else param.bare_type()
    kind = re.sub(r"^list\[(.*)\]$", r"\1", kind)
    shown = _PLACEHOLDER.get(kind, _PLACEHOLDER["str"])[0 if lang == "zh" else 1]
    return f"{shown}..." if desc.is_list else shown


def _range_words(lo: Any, hi: Any, zh: bool) -> str:
    if lo is not None and hi is not None:
        return f"（{lo} 至 {hi}）" if zh else f" ({lo} to {hi})"
    if lo is not None:
        return f"（至少 {lo}）" if zh else f" (at least {lo})"
    return f"（至多 {hi}）" if zh else f" (at most {hi})"


class _PlainArgument(TyperArgument):
    """An argument shown by its name alone: the type column repeated ``<path>`` after ``path``."""

    __slots__ = ()  # same layout as the class it replaces (``__class__`` assignment)

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _PlainOption(TyperOption):
    """An option with a plain placeholder (or none, for a flag) and no ``[x>=1]`` range notation."""

    __slots__ = ()

    powerlist_placeholder: str | None = None

    def display_type_rich(self, ctx: Any) -> str | None:
        return self.metavar if self.metavar is not None else self.powerlist_placeholder

    def _get_number_range_help_str(self) -> str | None:
        return None


_LOCALISED: dict[type, type] = {}


def _localised(cls: type) -> type:
    """``cls`` with its parameters (``--help`` included, which click builds late) adjusted when help
    asks for them, and a usage line in the run's language. Made as a direct subclass with no slots
    of its own, so that an existing object can switch to it."""
    if getattr(cls, "powerlist_localised", False):
        return cls
    if cls in _LOCALISED:
        return _LOCALISED[cls]
    base: Any = cls

    def get_params(self: Any, ctx: Any) -> list[Any]:
        params: list[Any] = base.get_params(self, ctx)
        for p in params:
            _plain(p, self.powerlist_lang, self.powerlist_path)
        if self.powerlist_lang == "zh" and not getattr(self, "powerlist_fitted", False):
            self.powerlist_fitted = True
            _fit_params(params)
        return params

    def get_usage(self: Any, ctx: Any) -> str:
        text: str = base.get_usage(self, ctx)
        return text.replace("Usage:", "用法：", 1) if self.powerlist_lang == "zh" else text

    made = type(cls.__name__, (cls,), {"__module__": __name__, "__slots__": (), "powerlist_localised": True,
                                       "get_params": get_params, "get_usage": get_usage})
    _LOCALISED[cls] = made
    return made
