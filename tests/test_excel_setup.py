"""`kpi-xl excel-setup` on a fake Windows: a user folder C:\\Users\\张三 (a temporary folder), the
code page cp936, xlwings' files where pip puts them, and an `xlwings addin install` that
reports success whether or not it worked. What it runs, writes and says, and every failure."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings

from kpi_xl.errors import KpiError
from kpi_xl.excel.functions_workbook import FILE_NAME
from kpi_xl.excel.install import install
from kpi_xl.excel.machine import Machine
from kpi_xl.excel.setup import excel_setup

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.37.8"
QUICKSTART = Path(xlwings.__file__).parent / "quickstart.xlsm"
ADDIN = b"xlwings.xlam " + VERSION.encode()


class FakeExcel:
    """Runs nothing: records each command; `xlwings addin install` copies the add-in into
    XLSTART only if `works`, and exits 0 either way, as xlwings does."""

    def __init__(self, machine_home: Path, works: bool = True, printed: str = ""):
        self.home, self.works, self.printed, self.calls = machine_home, works, printed, []

    def __call__(self, command, env=None):
        self.calls.append(list(command))
        if command[-2:] == ["addin", "install"] and self.works:
            xlstart = self.home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
            xlstart.mkdir(parents=True, exist_ok=True)
            (xlstart / "xlwings.xlam").write_bytes(ADDIN)
        return subprocess.CompletedProcess(command, 0, self.printed, "")


def zhang_san(tmp_path: Path, **changes) -> Machine:
    """张三's PC: kpi-xl installed in its own environment under his user folder."""
    home = tmp_path / "Users" / "张三"
    env = home / "AppData" / "Local" / "kpi-xl" / "env"
    (env / "Scripts").mkdir(parents=True)
    (env / "Scripts" / "python.exe").write_bytes(b"")
    package = env / "Lib" / "site-packages" / "xlwings"
    (package / "addin").mkdir(parents=True)
    (package / "addin" / "xlwings.xlam").write_bytes(ADDIN)
    shutil.copyfile(QUICKSTART, package / "quickstart.xlsm")
    for bits in (64, 32):  # a wheel's data files land in the environment's folder
        (env / f"xlwings{bits}-{VERSION}.dll").write_bytes(b"MZ")
    fake_module = types.SimpleNamespace(__file__=str(env / "Lib" / "site-packages" / "kpi_udfs.py"))
    defaults = dict(platform="win32", executable=str(env / "Scripts" / "python.exe"), version=(3, 12), bits=64,
                    ansi="cp936", environ={}, home=home, local_appdata=home / "AppData" / "Local",
                    xlstart=home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART", xlwings_dir=package,
                    xlwings_version=VERSION, data_folders=[env], run=FakeExcel(home),
                    import_module=lambda name: fake_module)  # fmt: skip
    return Machine(**{**defaults, **changes})


def pythonw(m: Machine) -> str:
    return str(Path(m.executable).with_name("pythonw.exe"))


def test_a_good_run_installs_the_addin_names_the_module_in_cp936_and_writes_the_workbook(tmp_path):
    m = zhang_san(tmp_path)
    said = []
    excel_setup(m, said.append)
    assert m.run.calls == [[m.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"]]
    data = m.config.read_bytes()
    assert data == f'"UDF MODULES","kpi_udfs"\r\n"INTERPRETER_WIN","{pythonw(m)}"\r\n'.encode("cp936")
    assert "张三".encode("cp936") in data  # what Excel's VBA reads on Chinese Windows, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert said[0] == f"1. Python 3.12 at {m.executable}: suitable"
    assert said[2] == f"3. xlwings' DLL is where the add-in loads it from ({Path(m.executable).parent} or {m.environment})"
    assert said[3] == f"4. xlwings add-in installed in {m.xlstart} (the xlwings tab appears when Excel starts)"
    assert said[4].endswith("(code page cp936, as Excel's add-in reads it)")
    workbook = m.home / "Documents" / "kpi-xl" / FILE_NAME
    assert said[5] == f"6. wrote {workbook}: the workbook with the reference to xlwings, examples and these steps"
    assert workbook.exists()
    assert "Import Functions" in said[6] and "Trust access to the VBA project object model" in said[6]
    said.clear()
    excel_setup(m, said.append)  # a second run changes nothing
    assert said[4].startswith(f"5. {m.config}: already set up, nothing changed")
    assert said[5] == f"6. {workbook} is ready (unchanged)"


def test_a_config_xlwings_wrote_in_cp936_is_read_and_kept(tmp_path):
    m = zhang_san(tmp_path)
    old = r"C:\Users\张三\AppData\Local\Programs\Python\Python312\python.exe"
    m.config.parent.mkdir(parents=True)
    m.config.write_bytes(f'"INTERPRETER_WIN","{old}"\r\n"LICENSE_KEY","abc"\r\n'.encode("cp936"))
    said = []
    excel_setup(m, said.append)
    assert m.config.read_bytes().decode("cp936").splitlines() == [
        f'"INTERPRETER_WIN","{pythonw(m)}"', '"LICENSE_KEY","abc"', '"UDF MODULES","kpi_udfs"']
    assert f"INTERPRETER_WIN set to {pythonw(m)} (was {old})" in said[4]


@pytest.mark.parametrize("written", [b"", b"\xef\xbb\xbf"], ids=["UTF-8", "UTF-8 with a BOM"])
def test_a_config_in_utf8_is_rewritten_in_the_code_page_excel_reads(tmp_path, written):
    m = zhang_san(tmp_path)
    m.config.parent.mkdir(parents=True)
    m.config.write_bytes(written + '"UDF MODULES","张三的函数"\r\n'.encode())
    said = []
    excel_setup(m, said.append)
    assert m.config.read_bytes().decode("cp936").splitlines()[0] == '"UDF MODULES","张三的函数;kpi_udfs"'
    assert "which Excel's add-in misreads" in said[4]


def test_modules_are_added_not_replaced(tmp_path):
    m = zhang_san(tmp_path)
    m.config.parent.mkdir(parents=True)
    m.config.write_bytes(b'"UDF MODULES","my_udfs"\r\n')
    excel_setup(m, lambda line: None)
    assert m.config.read_bytes().decode("cp936").splitlines()[0] == '"UDF MODULES","my_udfs;kpi_udfs"'


def test_an_addin_install_that_did_nothing_is_noticed_and_the_addin_copied(tmp_path):
    m = zhang_san(tmp_path)
    m.run = FakeExcel(m.home, works=False, printed="Successfully installed the xlwings add-in!")
    said = []
    excel_setup(m, said.append)
    assert (m.xlstart / "xlwings.xlam").read_bytes() == ADDIN
    assert said[3] == ("4. `xlwings addin install` did not install it (Successfully installed the xlwings add-in!); "
                       f"copied the add-in to {m.xlstart} instead (the xlwings tab appears when Excel starts)")  # fmt: skip


def test_an_addin_that_cannot_be_placed_stops_the_setup(tmp_path):
    m = zhang_san(tmp_path)
    m.run = FakeExcel(m.home, works=False)
    m.xlstart.parent.mkdir(parents=True)
    m.xlstart.write_bytes(b"")  # XLSTART is a file: nothing can be copied into it
    with pytest.raises(KpiError) as caught:
        excel_setup(m, lambda line: None)
    assert str(caught.value).startswith("`xlwings addin install` did not install it (exit 0), and copying ")
    assert str(caught.value).endswith("close every Excel window and run the installer again")
    assert not m.config.exists()


def test_a_dll_pip_put_in_appdata_is_copied_where_the_addin_looks(tmp_path):
    """xlwings issue #1803: `pip install --user` into an all-users Python."""
    m = zhang_san(tmp_path)
    roaming = m.home / "AppData" / "Roaming" / "Python"
    roaming.mkdir(parents=True)
    for dll in m.environment.glob("xlwings*.dll"):
        dll.rename(roaming / dll.name)
    m.data_folders = [m.environment, roaming]
    excel_setup(m, lambda line: None)
    assert (Path(m.executable).parent / f"xlwings64-{VERSION}.dll").exists()


def test_a_missing_dll_stops_the_setup(tmp_path):
    m = zhang_san(tmp_path)
    for dll in m.environment.glob("xlwings*.dll"):
        dll.unlink()
    with pytest.raises(KpiError) as caught:
        excel_setup(m, lambda line: None)
    assert f"xlwings' DLL (xlwings64-{VERSION}.dll or xlwings32-{VERSION}.dll) is in none of" in str(caught.value)
    assert "an antivirus program may have removed it" in str(caught.value)


def test_a_user_folder_the_code_page_cannot_hold_is_refused(tmp_path):
    m = zhang_san(tmp_path, ansi="cp1252")  # Chinese user name, Western system locale
    with pytest.raises(KpiError) as caught:
        excel_setup(m, lambda line: None)
    assert "reads this file in the code page cp1252, which cannot hold '张三'" in str(caught.value)
    assert "Change system locale" in str(caught.value)
    assert not m.config.exists()


def test_a_workbook_someone_changed_is_kept(tmp_path):
    m = zhang_san(tmp_path)
    workbook = m.home / "Documents" / "kpi-xl" / FILE_NAME
    workbook.parent.mkdir(parents=True)
    workbook.write_bytes(b"my own entries")
    said = []
    excel_setup(m, said.append)
    assert workbook.read_bytes() == b"my own entries"
    assert said[5] == f"6. {workbook} is kept as it is (it was changed since it was made; delete it to get a fresh one)"


def test_the_workbook_carries_xlwings_reference_and_names_the_module(tmp_path):
    m = zhang_san(tmp_path)
    excel_setup(m, lambda line: None)
    book = zipfile.ZipFile(m.home / "Documents" / "kpi-xl" / FILE_NAME)
    with zipfile.ZipFile(QUICKSTART) as quickstart:
        vba = quickstart.read("xl/vbaProject.bin")
    assert book.read("xl/vbaProject.bin") == vba
    assert "addin\\xlwings.xlam".encode("utf-16-le") in vba  # the project's reference to the add-in
    assert b'codeName="ThisWorkbook"' in book.read("xl/workbook.xml")
    for n in (1, 2):  # the project's document modules Sheet1 and Sheet2 need their sheets
        assert f'codeName="Sheet{n}"'.encode() in book.read(f"xl/worksheets/sheet{n}.xml")
    opened = openpyxl.load_workbook(m.home / "Documents" / "kpi-xl" / FILE_NAME)
    assert opened.sheetnames == ["KPI函数", "xlwings.conf"]
    config = opened["xlwings.conf"]
    assert config.sheet_state == "hidden"
    assert [[c.value for c in row] for row in config.iter_rows()] == [["UDF Modules", "kpi_udfs"]]
    formulas = {row[1].value: row[3].value for row in opened["KPI函数"].iter_rows() if row[2].data_type == "f"}
    assert formulas["=KPI_LINEAR(80,70,90,5)"] == 2.5


@pytest.mark.parametrize(("changes", "message"), [
    (dict(platform="linux"), "the Excel add-in needs Excel on Windows, and this is this system; on a Mac or in Excel "
     "on the web use the xlwings Lite bundle (`kpi-xl lite`), or the no-Python LAMBDA workbook (`kpi-xl lambdas`)"),
    (dict(version=(3, 10)), "Python 3.10 is too old: kpi-xl needs 3.11 or newer; install it from python.org and run "
     "the installer again"),
    (dict(executable=r"C:\Users\a\AppData\Local\Microsoft\WindowsApps\python.exe"),
     "C:\\Users\\a\\AppData\\Local\\Microsoft\\WindowsApps\\python.exe is the Microsoft Store Python, which Excel "
     "cannot start (\"Could not activate Python COM server\"); install Python from python.org and run the installer again"),
    (dict(import_module=lambda name: (_ for _ in ()).throw(ImportError("No module named 'kpi_udfs'"))),
     "the function module kpi_udfs does not import (No module named 'kpi_udfs'); run install\\install.bat again "
     "(it installs kpi-xl into an environment of its own in your user folder)"),
])  # fmt: skip
def test_each_failure_stops_with_the_reason_and_the_fix(tmp_path, changes, message):
    m = zhang_san(tmp_path, **changes)
    with pytest.raises(KpiError) as caught:
        excel_setup(m, lambda line: None)
    assert str(caught.value) == message
    assert not m.config.exists()  # nothing half-done


# -- the installer's hand-over: kpi-xl's own environment, from the folder the user has -------


class FakeInstall:
    """`python -m venv` makes the environment's python.exe; pip answers `pip_exit`; the
    setup in the environment prints a line and exits `setup_exit`."""

    def __init__(self, pip_exit=0, pip_said="", setup_exit=0):
        self.pip_exit, self.pip_said, self.setup_exit, self.calls, self.envs = pip_exit, pip_said, setup_exit, [], []

    def __call__(self, command, env=None):
        self.calls.append(list(command))
        self.envs.append(env)
        if command[1:3] == ["-m", "venv"]:
            (Path(command[3]) / "Scripts").mkdir(parents=True, exist_ok=True)
            return subprocess.CompletedProcess(command, 0, "", "")
        if command[1:3] == ["-m", "pip"]:
            return subprocess.CompletedProcess(command, self.pip_exit, "", self.pip_said)
        return subprocess.CompletedProcess(command, self.setup_exit, "1. Python 3.13 …: suitable\n", "")


def base_python(tmp_path, run, **changes) -> Machine:
    home = tmp_path / "Users" / "张三"
    defaults = dict(platform="win32", executable=r"C:\Program Files\Python313\python.exe", version=(3, 13),
                    ansi="cp936", home=home, local_appdata=home / "AppData" / "Local", run=run,
                    environ={"PIP_INDEX_URL": "https://mirrors.example.cn/simple", "PYTHONPATH": str(ROOT),
                             "HTTPS_PROXY": "http://proxy:8080"})  # fmt: skip
    return Machine(**{**defaults, **changes})


def test_the_installer_makes_an_environment_installs_from_the_folder_and_hands_over(tmp_path):
    run = FakeInstall(setup_exit=0)
    m = base_python(tmp_path, run)
    said = []
    assert install(ROOT, "https://pypi.tuna.tsinghua.edu.cn/simple", m, said.append) == 0
    env_python = str(m.environment / "Scripts" / "python.exe")
    assert run.calls == [
        [m.executable, "-m", "venv", str(m.environment)],
        [env_python, "-m", "pip", "install", "--upgrade", "--disable-pip-version-check", str(ROOT),
         "--index-url", "https://pypi.tuna.tsinghua.edu.cn/simple"],  # never `kpi-xl` by name: not on PyPI
        [env_python, "-m", "kpi_xl", "excel-setup"],
    ]  # fmt: skip
    for env in run.envs:  # the mirror and proxy reach pip; the installer's PYTHONPATH does not
        assert env["PIP_INDEX_URL"] == "https://mirrors.example.cn/simple" and env["HTTPS_PROXY"] == "http://proxy:8080"
        assert "PYTHONPATH" not in env
    assert m.environment == m.home / "AppData" / "Local" / "kpi-xl" / "env"  # in the user folder: no admin rights
    assert said[-1] == "1. Python 3.13 …: suitable"


def test_the_installer_passes_on_the_setups_failure(tmp_path):
    assert install(ROOT, None, base_python(tmp_path, FakeInstall(setup_exit=1)), lambda line: None) == 1


def test_the_installer_installs_from_a_wheel(tmp_path):
    wheel = tmp_path / "kpi_xl-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    run = FakeInstall()
    install(wheel, None, base_python(tmp_path, run), lambda line: None)
    assert run.calls[1][6] == str(wheel) and "--index-url" not in run.calls[1]


def test_the_installer_refuses_a_folder_that_is_not_kpi_xl(tmp_path):
    with pytest.raises(KpiError) as caught:
        install(tmp_path, None, base_python(tmp_path, FakeInstall()), lambda line: None)
    assert str(caught.value) == (f"{tmp_path} is neither the kpi-xl folder nor a kpi_xl-….whl file; run "
                                 "install\\install.bat from inside the kpi-xl folder you were given (unzip it first)")  # fmt: skip


def test_a_failed_pip_says_how_to_use_a_mirror_or_proxy(tmp_path):
    run = FakeInstall(pip_exit=1, pip_said="Looking in indexes: …\nERROR: No matching distribution found for xlwings<0.38\n")
    with pytest.raises(KpiError) as caught:
        install(ROOT, None, base_python(tmp_path, run), lambda line: None)
    assert str(caught.value) == (
        "installing kpi-xl and its dependencies (xlwings, pandas, …) failed (exit 1: ERROR: No matching distribution "
        "found for xlwings<0.38); check the network; behind a company proxy set HTTPS_PROXY=http://proxy:port, with a "
        "company mirror run install.bat --index-url URL (or set PIP_INDEX_URL), then run the installer again")
    assert len(run.calls) == 2  # no setup after a failed install


def test_the_installer_refuses_a_user_folder_excel_cannot_read(tmp_path):
    with pytest.raises(KpiError) as caught:
        install(ROOT, None, base_python(tmp_path, FakeInstall(), ansi="cp1252"), lambda line: None)
    assert "code page cp1252, which cannot hold this user folder's name" in str(caught.value)


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "wheel"])
def test_the_hand_over_runs_from_the_folder_or_a_wheel_with_the_standard_library_only(tmp_path, packed):
    """install.ps1 runs `python -m kpi_xl excel-setup --install-from …` with PYTHONPATH set to the
    folder or wheel, in a Python that has nothing else installed (-S: no site-packages)."""
    where = ROOT
    if packed:
        where = tmp_path / "kpi_xl-0.1.0-py3-none-any.whl"
        with zipfile.ZipFile(where, "w") as wheel:
            for path in (ROOT / "kpi_xl").rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:  # the package and its data, as a wheel has
                    wheel.write(path, path.relative_to(ROOT).as_posix())
    said = {}
    for lang in ([], ["--lang", "en"]):
        done = subprocess.run([sys.executable, "-S", "-m", "kpi_xl", "excel-setup", "--install-from", str(where), *lang],
                              env={"PYTHONPATH": str(where), "PATH": ""}, capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
        assert done.returncode == 1
        said[tuple(lang)] = done.stderr
    assert said[()] == (  # Chinese by default, from the catalogue in the folder or wheel
        "错误：Excel 加载项需要 Windows 上的 Excel，而这里是当前系统；在 Mac 或网页版 Excel 中请使用 xlwings Lite 包"
        "（`kpi-xl lite`），或不需要 Python 的 LAMBDA 工作簿（`kpi-xl lambdas`）\n")
    assert said[("--lang", "en")] == (
        "Error: the Excel add-in needs Excel on Windows, and this is this system; on a Mac or in Excel on the web "
        "use the xlwings Lite bundle (`kpi-xl lite`), or the no-Python LAMBDA workbook (`kpi-xl lambdas`)\n")
