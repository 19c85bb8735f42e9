"""HyperFormulaEvaluator against the real Node.js engine (node is required, never skipped)."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.checks.registry import registry
from openpyxl.utils import get_column_letter

from imports.services.book import EXCEL_ERRORS, CellData, CellError, Failure, NameData, Reason
from imports.services.evaluator import EvaluatorError
from node_eval import checks
from node_eval.client import ENGINE_PATH, HyperFormulaEvaluator
from node_eval.codec import Formula

from .books import Text, make_book

NODE_EVAL_DIR = ENGINE_PATH.parent


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def evaluate(book, progress=lambda *call: None, **kwargs):
    """Evaluate `book` in a fresh engine and return the result."""
    with HyperFormulaEvaluator(**kwargs) as evaluator:
        return evaluator.evaluate(book, progress=progress)


# -- evaluate ------------------------------------------------------------------------


def test_evaluate_computes_arithmetic_and_cross_sheet_references():
    book = make_book(
        {
            "Inputs": {"A1": 2, "A2": 3.5, "A3": True},
            "Model": {
                "A1": "=Inputs!A1*Inputs!A2+1",
                "A2": "=SUM(Inputs!A1:A2)",
                "A3": '=IF(Inputs!A3,"yes","no")',
                "A4": "=A1>A2",
                "A5": "='Odd name 2020'!B2/4",
            },
            "Odd name 2020": {"B2": 10},
        }
    )
    result = evaluate(book)
    assert result.values == {
        (1, 1, 1): 8.0,
        (1, 2, 1): 5.5,
        (1, 3, 1): "yes",
        (1, 4, 1): True,
        (1, 5, 1): 2.5,
    }
    assert result.failures == {}
    assert result.engine == "hyperformula"


def test_integer_like_sheet_names_keep_their_sheet_index():
    # buildFromSheets takes an object, and JS puts integer-like keys such as "2021" first.
    book = make_book({"Summary": {"A1": "='2021'!A1+1"}, "2021": {"A1": 41, "A2": "=A1*2"}})
    result = evaluate(book)
    assert result.values == {(0, 1, 1): 42.0, (1, 2, 1): 82.0}


def test_named_expressions_have_workbook_and_sheet_scope():
    names = [
        NameData("Rate", "0.1"),
        NameData("Base", "Inputs!$A$1"),
        NameData("Rate", "0.5", sheet_index=1),  # Model's own Rate hides the workbook one
        NameData("A1", "1"),  # a cell address: HyperFormula refuses it
    ]
    book = make_book(
        {
            "Inputs": {"A1": 200, "B1": "=Base*Rate"},
            "Model": {"A1": "=Base*Rate"},
        },
        names=names,
    )
    with HyperFormulaEvaluator() as evaluator:
        result = evaluator.evaluate(book, progress=lambda *call: None)
        rejected = evaluator.rejected_names
    assert result.values[(0, 1, 2)] == pytest.approx(20.0)
    assert result.values[(1, 1, 1)] == pytest.approx(100.0)
    assert [entry["name"] for entry in rejected] == ["A1"]


TEXTS = ["123", "TRUE", "false", "1/1/2020", "=abc", "'x", "''y", "#N/A", "#DIV/0!", " 12 ",
         "12%", "$5", "1e3", "12:30", "", "'", "-"]  # fmt: skip


def test_text_constants_stay_text():
    cells = {}
    for row, text in enumerate(TEXTS, start=1):
        cells.update({f"A{row}": Text(text), f"B{row}": f"=A{row}", f"C{row}": f"=ISTEXT(A{row})"})
    values = evaluate(make_book({"S": cells})).values
    assert {row: values[(0, row, 2)] for row in range(1, len(TEXTS) + 1)} == dict(
        enumerate(TEXTS, start=1)
    )
    assert all(type(values[(0, row, 2)]) is str for row in range(1, len(TEXTS) + 1))
    assert all(values[(0, row, 3)] is True for row in range(1, len(TEXTS) + 1))


ERROR_CHECKS = {
    "B": ("={}", lambda code: CellError(code)),
    "C": ("={}+1", lambda code: CellError(code)),
    "D": ("=ISERROR({})", lambda code: True),
    "E": ('=IFERROR({},"caught")', lambda code: "caught"),
    "F": ("=ISNA({})", lambda code: code == "#N/A"),
    "G": ("=SUM({0}:{0})", lambda code: CellError(code)),
}


def test_error_constants_propagate_as_in_excel():
    codes = sorted(EXCEL_ERRORS)
    cells = {}
    for row, code in enumerate(codes, start=1):
        cells[f"A{row}"] = CellError(code)
        for column, (formula, _) in ERROR_CHECKS.items():
            cells[f"{column}{row}"] = formula.format(f"A{row}")
    values = evaluate(make_book({"S": cells})).values
    got = {(code, column): values[(0, row, ord(column) - 64)]
           for row, code in enumerate(codes, start=1) for column in ERROR_CHECKS}  # fmt: skip
    expected = {(code, column): check(code)
                for code in codes for column, (_, check) in ERROR_CHECKS.items()}  # fmt: skip
    assert got == expected
    assert all(type(value) is type(expected[key]) for key, value in got.items())


def test_error_values_keep_hyperformula_message_in_details():
    result = evaluate(make_book({"S": {"A1": "=1/0", "A2": "=UNKNOWNFN(1)"}}))
    assert result.values[(0, 1, 1)] == CellError("#DIV/0!")
    assert result.values[(0, 2, 1)] == CellError("#NAME?")
    assert "UNKNOWNFN" in result.details[(0, 2, 1)]


def test_infinite_and_nan_constants_become_num_errors():
    result = evaluate(make_book({"S": {"A1": math.inf, "A2": math.nan, "B1": "=A1", "B2": "=A2"}}))
    assert result.values == {(0, 1, 2): CellError("#NUM!"), (0, 2, 2): CellError("#NUM!")}


def test_dates_follow_excel_1900_serials():
    formulas = {
        "A1": "=DATE(1900,1,1)",
        "A2": "=DATE(1900,2,28)",
        "A3": "=DATE(1900,2,29)",  # Excel's fictitious leap day
        "A4": "=DATE(1900,3,1)",
        "A5": "=DATE(2020,1,1)",
        "A6": "=YEAR(43831)",
        "A7": "=WEEKDAY(DATE(2024,1,1))",
    }
    values = evaluate(make_book({"S": formulas})).values
    assert [values[(0, row, 1)] for row in range(1, 8)] == [1, 59, 60, 61, 43831, 2020, 2]


def test_dates_follow_excel_1904_serials():
    formulas = {"A1": "=DATE(1904,1,2)", "A2": "=DATE(2020,1,1)", "A3": "=YEAR(0)"}
    values = evaluate(make_book({"S": formulas}, date1904=True)).values
    assert [values[(0, row, 1)] for row in range(1, 4)] == [1, 42369, 1904]


def test_reference_to_an_empty_cell_is_zero_as_in_excel():
    values = evaluate(make_book({"S": {"A1": "=B1", "A2": "=IF(TRUE(),B1)", "A3": "=B1+0"}})).values
    assert values == {(0, 1, 1): 0.0, (0, 2, 1): 0.0, (0, 3, 1): 0.0}


def test_long_and_deeply_nested_formulas_evaluate():
    terms = "+".join(f"A{row}" for row in range(1, 3001))
    nested = "(" * 300 + "1" + "+1)" * 300
    cells: dict = {f"A{row}": 1 for row in range(1, 3001)}
    cells.update({"B1": f"={terms}", "B2": f"={nested}"})
    values = evaluate(make_book({"S": cells})).values
    assert values == {(0, 1, 2): 3000.0, (0, 2, 2): 301.0}


def test_sparse_cells_far_away_work():
    far_column = get_column_letter(16_000)
    book = make_book(
        {"S": {"A1": 5, "A1000000": "=A1*2", f"{far_column}1": "=A1000000+1", "XFD1048576": 7}}
    )
    values = evaluate(book).values
    assert values == {(0, 1_000_000, 1): 10.0, (0, 1, 16_000): 11.0}


def test_skipped_cell_and_its_dependents_are_failures_never_values():
    skip = Failure(Reason.EXTERNAL_LINK, "[1]")
    skipped = CellData(row=1, col=1, formula="=[1]Other!A1", skip=skip)
    book = make_book({"S": {"A1": skipped, "A2": "=A1*2", "A3": "=A2+1"}})
    result = evaluate(book)
    assert result.values == {}
    assert result.failures[(0, 1, 1)] == Failure(Reason.EXTERNAL_LINK, "[1]")
    for key in [(0, 2, 1), (0, 3, 1)]:
        assert result.failures[key].reason == Reason.EXTERNAL_LINK
        assert "S!A1" in result.failures[key].detail


def test_engine_only_errors_become_failures():
    book = make_book({"S": {"A1": "=B1", "B1": "=A1", "C1": "=A1*2", "D1": "=1+"}})
    result = evaluate(book)
    assert {key: failure.reason for key, failure in result.failures.items()} == {
        (0, 1, 1): Reason.CIRCULAR,
        (0, 1, 2): Reason.CIRCULAR,
        (0, 1, 3): Reason.CIRCULAR,
        (0, 1, 4): Reason.PARSE_ERROR,
    }
    assert "Parsing error" in result.failures[(0, 1, 4)].detail


def test_engine_formula_is_sent_instead_of_the_file_formula():
    cell = CellData(row=1, col=2, formula="=_xlfn.CONCAT(A1,A1)", engine_formula="=A1&A1")
    values = evaluate(make_book({"S": {"A1": Text("ab"), "B1": cell}})).values
    assert values == {(0, 1, 2): "abab"}


def test_progress_is_reported_within_the_evaluate_stage_and_throttled(progress, progress_calls):
    cells = {f"A{row}": f"=ROW()*{row}" for row in range(1, 5001)}
    evaluate(make_book({"S": cells}), progress, batch_size=100, read_chunk=100)
    percents = [percent for _, percent, _ in progress_calls]
    assert {stage for stage, _, _ in progress_calls} == {"evaluate"}
    assert percents == sorted(percents)
    assert percents[0] == 0 and percents[-1] == 100
    assert len(progress_calls) <= 40


# -- iterate, set, calculate ------------------------------------------------------------


def chain_book(size: int) -> tuple:
    """A1 = A2*0.5+1, ..., A<size> = A1*0.5+1: one cycle whose fixpoint is 2 everywhere."""
    formulas = {f"A{row}": f"=A{row + 1}*0.5+1" for row in range(1, size)}
    formulas[f"A{size}"] = "=A1*0.5+1"
    cells = [((0, row, 1), formulas[f"A{row}"]) for row in range(1, size + 1)]
    return make_book({"S": {**formulas, "B1": "=A1*10"}}), cells


def test_iterate_solves_a_10000_cell_cycle_without_recursion():
    book, cells = chain_book(10_000)
    with HyperFormulaEvaluator() as evaluator:
        first = evaluator.evaluate(book, progress=lambda *call: None)
        assert first.failures[(0, 1, 2)].reason == Reason.CIRCULAR
        outcome = evaluator.iterate(cells, max_iterations=100, max_change=0.001)
        after = evaluator.read_values(progress=lambda *call: None)
    assert outcome.converged
    assert outcome.max_change < 0.001
    assert 1 < outcome.iterations < 100
    assert all(value == pytest.approx(2.0, abs=0.01) for value in outcome.values.values())
    assert len(outcome.values) == 10_000
    assert after.values[(0, 1, 2)] == pytest.approx(20.0, abs=0.1)  # downstream recalculated
    assert after.failures == {}


def test_iterate_two_cell_cycle_converges_to_the_fixpoint():
    # A1 = B1/2 + 1, B1 = A1/3 + 2: A1 = 12/5, B1 = 14/5.
    book = make_book({"S": {"A1": "=B1/2+1", "B1": "=A1/3+2"}})
    cells = [((0, 1, 1), "=B1/2+1"), ((0, 1, 2), "=A1/3+2")]
    with HyperFormulaEvaluator() as evaluator:
        evaluator.evaluate(book, progress=lambda *call: None)
        outcome = evaluator.iterate(cells, max_iterations=100, max_change=1e-12)
    assert outcome.converged
    assert outcome.values[(0, 1, 1)] == pytest.approx(2.4, abs=1e-11)
    assert outcome.values[(0, 1, 2)] == pytest.approx(2.8, abs=1e-11)


def test_iterate_reports_a_cycle_that_does_not_converge():
    book = make_book({"S": {"A1": "=B1+1", "B1": "=A1+1"}})
    cells = [((0, 1, 1), "=B1+1"), ((0, 1, 2), "=A1+1")]
    with HyperFormulaEvaluator() as evaluator:
        evaluator.evaluate(book, progress=lambda *call: None)
        outcome = evaluator.iterate(cells, max_iterations=10, max_change=0.001)
    assert not outcome.converged
    assert outcome.iterations == 10
    assert outcome.max_change == 2.0
    assert outcome.values == {(0, 1, 1): 19.0, (0, 1, 2): 20.0}


def test_iterate_excel_example_with_a_constant_input():
    # E4 = 6, E5 = 0.1*(E4+E6), E6 = E4+E5; Excel cached 1.33333326 / 7.33333326.
    book = make_book({"S": {"E4": 6, "E5": "=0.1*(E4+E6)", "E6": "=E4+E5"}})
    cells = [((0, 5, 5), "=0.1*(E4+E6)"), ((0, 6, 5), "=E4+E5")]
    with HyperFormulaEvaluator() as evaluator:
        evaluator.evaluate(book, progress=lambda *call: None)
        outcome = evaluator.iterate(cells, max_iterations=100, max_change=0.001)
    print("E5, E6, iterations:", outcome.values, outcome.iterations, outcome.max_change)
    assert outcome.converged
    assert outcome.values[(0, 5, 5)] == pytest.approx(4 / 3, abs=0.001)
    assert outcome.values[(0, 6, 5)] == pytest.approx(22 / 3, abs=0.001)


def test_iterate_reads_ranges_over_cycle_cells_fresh():
    # A1 = SUM(B1:B2)/2 + 1 with B1 = A1, B2 = 1: A1 = (A1 + 1)/2 + 1, so A1 = 3.
    book = make_book({"S": {"A1": "=SUM(B1:B2)/2+1", "B1": "=A1", "B2": 1, "C1": "=SUM(A1:B2)"}})
    cells = [((0, 1, 1), "=SUM(B1:B2)/2+1"), ((0, 1, 2), "=A1")]
    with HyperFormulaEvaluator() as evaluator:
        evaluator.evaluate(book, progress=lambda *call: None)
        outcome = evaluator.iterate(cells, max_iterations=200, max_change=1e-9)
        after = evaluator.read_values(progress=lambda *call: None)
    assert outcome.converged
    assert outcome.values[(0, 1, 1)] == pytest.approx(3.0, abs=1e-8)
    assert after.values[(0, 1, 3)] == pytest.approx(7.0, abs=1e-8)


def test_iterate_turns_an_unparsable_formula_into_a_failure():
    book = make_book({"S": {"A1": "=B1", "B1": "=A1"}})
    cells = [((0, 1, 1), "=B1+"), ((0, 1, 2), "=A1")]
    with HyperFormulaEvaluator() as evaluator:
        evaluator.evaluate(book, progress=lambda *call: None)
        outcome = evaluator.iterate(cells, max_iterations=5, max_change=0.001)
    assert outcome.failures[(0, 1, 1)].reason == Reason.PARSE_ERROR
    assert outcome.converged  # the same error twice in a row is no change


def test_set_contents_recalculates_dependents_and_calculate_reads_them():
    book = make_book({"In": {"A1": 1, "A2": 2}, "Out": {"A1": "=In!A1+In!A2", "A2": "=A1&In!B1"}})
    with HyperFormulaEvaluator() as evaluator:
        evaluator.evaluate(book, progress=lambda *call: None)
        evaluator.set_contents({(0, 1, 1): 10, (0, 1, 2): Text("=x"), (0, 2, 1): Formula("=A1*3")})
        after = evaluator.read_values(progress=lambda *call: None)
        assert evaluator.calculate(1, "=A1*2") == 80.0
        assert evaluator.calculate(0, "SUM(A1:A2)") == 40.0
        assert evaluator.calculate(0, "=A1+").reason == Reason.PARSE_ERROR
    assert after.values == {(1, 1, 1): 40.0, (1, 2, 1): "40=x"}


# -- the process -----------------------------------------------------------------------------


def test_hung_engine_hits_the_deadline_and_is_killed(monkeypatch):
    monkeypatch.setenv("DCMODEL_ENGINE_TEST_OPS", "1")
    evaluator = HyperFormulaEvaluator(timeout=1.0)
    evaluator.request("hello")
    pid = evaluator.pid
    started = time.monotonic()
    with pytest.raises(EvaluatorError, match="did not answer 'sleep' within 1 s"):
        evaluator.request("sleep", {"seconds": 60})
    assert time.monotonic() - started < 10
    assert not pid_alive(pid)
    evaluator.close()


def test_killed_engine_raises_a_clear_error():
    evaluator = HyperFormulaEvaluator()
    evaluator.evaluate(make_book({"S": {"A1": "=1+1"}}), progress=lambda *call: None)
    os.kill(evaluator.pid, signal.SIGKILL)
    with pytest.raises(EvaluatorError, match="killed"):
        evaluator.calculate(0, "=1+1")
    evaluator.close()


def test_engine_out_of_memory_is_reported_as_such(monkeypatch):
    monkeypatch.setenv("DCMODEL_ENGINE_TEST_OPS", "1")
    evaluator = HyperFormulaEvaluator(heap_mb=64)
    pid = evaluator.request("hello") and evaluator.pid
    with pytest.raises(EvaluatorError, match="out of memory") as raised:
        evaluator.request("grow", {"mb": 2000})
    assert "heap limit is 64 MB" in str(raised.value)  # the stderr tail is in the message
    assert not pid_alive(pid)
    evaluator.close()


def test_a_failed_request_in_a_pipeline_leaves_the_engine_usable():
    book = make_book({"S": {"A1": 1}})
    book.sheets[0].cells[(0, 1)] = CellData(row=0, col=1, value=2)  # row 0 is off the grid
    with HyperFormulaEvaluator(batch_size=1) as evaluator:
        with pytest.raises(EvaluatorError, match="out of Excel's grid"):
            evaluator.evaluate(book, progress=lambda *call: None)
        assert evaluator.stats()["heapLimit"] > 0  # answers still match their requests


def fake_engine(monkeypatch, script: str) -> None:
    """Run `script` with node instead of engine.mjs."""
    monkeypatch.setattr(HyperFormulaEvaluator, "_argv", lambda self: ["node", "-e", script])


KEEP_ALIVE = "setInterval(() => {}, 1000);"


def test_an_answer_that_is_not_json_is_a_protocol_error(monkeypatch):
    fake_engine(monkeypatch, "process.stdout.write('Debugger listening\\n');" + KEEP_ALIVE)
    evaluator = HyperFormulaEvaluator()
    with pytest.raises(EvaluatorError, match="protocol error: the answer to 'hello' is not JSON"):
        evaluator.request("hello")
    evaluator.close()


def test_an_engine_that_exits_names_its_exit_status(monkeypatch):
    fake_engine(monkeypatch, "console.error('boom: bad things'); process.exit(7);")
    evaluator = HyperFormulaEvaluator()
    with pytest.raises(EvaluatorError, match="exited with status 7") as raised:
        evaluator.request("hello")
    assert "boom: bad things" in str(raised.value)


ECHO_ENGINE = """
const lines = require('readline').createInterface({ input: process.stdin });
lines.on('line', (line) => {
  process.stderr.write('x'.repeat(4 * 1024 * 1024) + '\\n');  // far more than a pipe holds
  const { id } = JSON.parse(line);
  process.stdout.write(JSON.stringify({ id, ok: true, version: 1 }) + '\\n');
});
"""


def test_a_flood_on_stderr_never_blocks_the_engine(monkeypatch):
    fake_engine(monkeypatch, ECHO_ENGINE)
    with HyperFormulaEvaluator(timeout=20) as evaluator:
        for _ in range(3):
            assert evaluator.request("stats")["ok"] is True


def test_error_messages_keep_only_a_short_stderr_tail(monkeypatch):
    fake_engine(monkeypatch, "process.stderr.write('y'.repeat(1 << 20) + '\\n'); process.exit(9);")
    with pytest.raises(EvaluatorError) as raised:
        HyperFormulaEvaluator().request("hello")
    assert len(str(raised.value)) < 10_000


def test_close_is_idempotent_and_stops_node():
    evaluator = HyperFormulaEvaluator()
    evaluator.request("hello")
    pid = evaluator.pid
    evaluator.close()
    evaluator.close()
    assert not pid_alive(pid)
    assert evaluator.pid is None


def test_engine_writes_only_json_lines_and_exits_when_stdin_closes_even_if_busy():
    env = {**os.environ, "DCMODEL_ENGINE_TEST_OPS": "1"}
    proc = subprocess.Popen(
        ["node", str(ENGINE_PATH)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    proc.stdin.write(b'{"id":1,"op":"hello"}\n{"id":2,"op":"nonsense"}\nnot json\n')
    proc.stdin.write(b'{"id":3,"op":"sleep","seconds":60}\n')
    proc.stdin.flush()
    answers = [json.loads(proc.stdout.readline()) for _ in range(3)]
    assert [(answer["id"], answer["ok"]) for answer in answers] == [
        (1, True),
        (2, False),
        (None, False),
    ]
    started = time.monotonic()
    proc.stdin.close()  # as when the Python parent dies: the engine must not outlive it
    assert proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
    assert proc.stdout.read() == b""


def write_plugin(directory: Path, name: str, source: str) -> None:
    """A functions/ directory of our own, able to import hyperformula."""
    (directory / "node_modules").symlink_to(NODE_EVAL_DIR / "node_modules")
    (directory / name).write_text(source)


TWICE_PLUGIN = """
import { FunctionPlugin, FunctionArgumentType } from 'hyperformula';

console.log('a plugin that prints must not break the protocol');

class TwicePlugin extends FunctionPlugin {
  twice(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TWICE'), (x) => 2 * x);
  }
}
TwicePlugin.implementedFunctions = {
  TWICE: { method: 'twice', parameters: [{ argumentType: FunctionArgumentType.NUMBER }] },
};

export default { plugin: TwicePlugin, translations: { enGB: { TWICE: 'TWICE' } } };
"""


def test_custom_function_plugins_are_loaded(tmp_path, monkeypatch):
    write_plugin(tmp_path, "twice.mjs", TWICE_PLUGIN)
    monkeypatch.setenv("DCMODEL_ENGINE_FUNCTIONS_DIR", str(tmp_path))
    with HyperFormulaEvaluator() as evaluator:
        book = make_book({"S": {"A1": "=TWICE(21)"}})
        result = evaluator.evaluate(book, progress=lambda *call: None)
        assert evaluator.engine_info["functions"] == ["TWICE"]
    assert result.values == {(0, 1, 1): 42.0}


@pytest.mark.parametrize(
    "source, message",
    [
        ("export default {", "SyntaxError"),
        ("export default 42;", "default export must be an object"),
        ("export default { plugin: class {} };", "extends FunctionPlugin"),
    ],
)
def test_a_broken_plugin_fails_the_handshake_with_its_name(tmp_path, monkeypatch, source, message):
    write_plugin(tmp_path, "broken.mjs", source)
    monkeypatch.setenv("DCMODEL_ENGINE_FUNCTIONS_DIR", str(tmp_path))
    evaluator = HyperFormulaEvaluator()
    with pytest.raises(EvaluatorError, match="functions/broken.mjs") as raised:
        evaluator.request("hello")
    assert message in str(raised.value)
    assert evaluator.pid is None
    evaluator.close()


def test_system_check_is_registered_and_finds_node_and_hyperformula():
    assert checks.check_node_engine in registry.get_checks()
    assert checks.check_node_engine() == []


def test_system_check_explains_a_missing_node(settings):
    settings.DCMODEL_NODE = "no-such-node-binary"
    messages = checks.check_node_engine()
    assert [message.id for message in messages] == ["node_eval.E001"]
    assert "DCMODEL_NODE" in messages[0].hint
