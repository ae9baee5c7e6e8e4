"""IATI 2.03 import: refuse what is not valid IATI (and write nothing), map the rest all or nothing."""

import datetime as dt
import io
import socket
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.interop.iati import IatiRefused, export_plans, import_iati
from baqylau.interop.iati.codes import XML_LANG
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report

SHOULD_FAIL = Path(__file__).parent / "fixtures" / "iati-should-fail"
AS_OF = dt.date(2025, 11, 30)
GENERATED = dt.datetime(2025, 11, 30, 12, 0, tzinfo=dt.UTC)


def snapshot() -> tuple:
    models = (Plan, Measure, Facility, Indicator, Target, Actual, Report, Agency, Sphere, Territory)
    return (
        *(m.objects.count() for m in models),
        Measure.history.count(),
        Indicator.history.count(),
        Agency.history.count(),
    )


def export(plan) -> bytes:
    return export_plans([plan], as_of=AS_OF, generated=GENERATED)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- IATI's own should-fail files ----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SHOULD_FAIL.iterdir()), ids=lambda p: p.name)
def test_every_should_fail_file_is_refused_and_nothing_written(demo, path):
    before = snapshot()
    with pytest.raises(IatiRefused) as refused:
        import_iati(path.read_bytes(), plan_code=demo.code)
    assert refused.value.problems, "the refusal names the problem"
    assert refused.value.problems[0].startswith("line "), refused.value.problems[0]
    assert "IATI" in refused.value.summary or "XML" in refused.value.summary
    assert snapshot() == before


def test_should_fail_count():
    assert len(list(SHOULD_FAIL.iterdir())) == 200


def test_the_command_names_the_first_schema_error_with_its_line(demo):
    path = SHOULD_FAIL / "budget_12-non-decimal-value.xml"
    with pytest.raises(CommandError) as refused:
        call_command("import_iati", str(path), "--plan", demo.code)
    message = str(refused.value)
    first_line = message.splitlines()[0]
    assert first_line.startswith("Not valid IATI 2.03") and "line " in first_line
    assert "decimal" in message


# --- unsafe and non-XML input -------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity>
</iati-activities>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03">&lol9;</iati-activities>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://203.0.113.1/evil.dtd">
<iati-activities version="2.03"/>"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (XXE, "DOCTYPE"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (EXTERNAL_DTD, "DOCTYPE"),
        (b"code;title\nW-01;Water\n", "not well-formed XML"),
        (b'{"projects": []}', "not well-formed XML"),
        (b"", "empty"),
        (b"\xff\xfe\x00<", "not well-formed XML"),
        (b"<iati-organisations version='2.03'/>", "not <iati-activities>"),
        (b"<iati-activities version='2.03'></iati-activities>", "Not valid IATI 2.03"),
    ],
    ids=[
        "xxe",
        "billion-laughs",
        "external-dtd",
        "csv",
        "json",
        "empty",
        "binary",
        "wrong-root",
        "no-activity",
    ],
)
def test_unsafe_or_non_iati_input_is_refused(demo, no_network, data, reason):
    before = snapshot()
    with pytest.raises(IatiRefused, match=reason) as refused:
        import_iati(data, plan_code=demo.code)
    assert "root:" not in refused.value.message  # /etc/passwd never reaches the message
    assert snapshot() == before


def test_too_large_files_are_refused_before_parsing(demo, settings):
    settings.BAQYLAU_IMPORT_MAX_BYTES = 100
    with pytest.raises(IatiRefused, match="largest file accepted is 100 bytes"):
        import_iati(b"<iati-activities>" + b" " * 200 + b"</iati-activities>", plan_code=demo.code)


# --- round trips ---------------------------------------------------------------------------------


def by_code(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {a.find("other-identifier").get("ref"): a for a in root.findall("iati-activity")}


def canonical(element, plan_code: str) -> bytes:
    return etree.tostring(element, encoding="UTF-8").replace(plan_code.encode(), b"PLAN")


def test_reimporting_our_own_export_changes_nothing(demo):
    first = export(demo)
    before = snapshot()
    done = import_iati(first)  # the plan is named in the file
    assert done.plan == demo and done.activities == demo.measures.count()
    assert done.result.changed == 0, (done.result.created, done.result.updated)
    assert snapshot() == before  # no history rows either
    assert export(demo) == first


def test_export_import_export_into_a_new_plan_keeps_everything(demo):
    first = export(demo)
    done = import_iati(
        first, plan_code="MNG-COPY", region_code="MNG", plan_title="Copy of the Mangystau plan"
    )
    copy = done.plan
    assert (copy.region.code, copy.title, copy.start, copy.end) == (
        "MNG",
        "Copy of the Mangystau plan",
        dt.date(2021, 3, 1),
        dt.date(2028, 12, 31),
    )
    assert done.result.created == {"plans": 1, "measures": 16, "indicators": 7, "targets": 10, "actuals": 3}
    second = export(copy)
    old, new = by_code(first), by_code(second)
    assert set(old) == set(new) == set(demo.measures.values_list("code", flat=True))
    for code, activity in old.items():
        twin = new[code]
        assert twin.findtext("iati-identifier") == activity.findtext("iati-identifier").replace(
            demo.code, "MNG-COPY"
        )
        for path in (
            "title",
            "participating-org",
            "sector",
            "budget",
            "result",
            "related-activity",
            "location",
        ):
            mine = [
                canonical(e, demo.code)
                for e in activity.findall(path)
                if not e.get("ref", "").startswith("facility/")
            ]
            theirs = [canonical(e, "MNG-COPY") for e in twin.findall(path)]
            assert mine == theirs, (code, path)
        planned = [
            (d.get("type"), d.get("iso-date"))
            for d in activity.findall("activity-date")
            if d.get("type") != "4"
        ]
        assert planned == [(d.get("type"), d.get("iso-date")) for d in twin.findall("activity-date")]
        ext, twin_ext = (
            activity.find("{urn:baqylau:iati-extension:1}measure"),
            twin.find("{urn:baqylau:iati-extension:1}measure"),
        )
        assert canonical(ext, demo.code) == canonical(twin_ext, "MNG-COPY")
    # Cyrillic and Kazakh narratives come back byte for byte.
    for text in (
        "Опреснительный завод «Каспий»: мощность по питьевой воде 20 000 → 40 000 м³/сут",
        "«Каспий» тұщыландыру зауыты: ауыз су қуаты 20 000 → 40 000 м³/тәул",
        "Ауыстырылған магистральдық жылу желілері, өспелі жиынмен",
    ):
        assert text.encode("utf-8") in first and text.encode("utf-8") in second
    assert Measure.objects.get(plan=copy, code="W-02").parent.code == "W-00"
    assert Indicator.objects.get(plan=copy, code="KOSHKARATA-HA").targets.get(
        period_end=dt.date(2022, 12, 31)
    ).value == Decimal("602.1")
    actual = Actual.objects.get(
        indicator__plan=copy, indicator__code="HEAT-KM", period_end=dt.date(2025, 9, 30)
    )
    assert actual.reported_by.code == "AKIMAT" and "44 km" in actual.estimate_note
    assert import_iati(second).result.changed == 0  # and again: idempotent


def test_a_new_plan_needs_a_region(demo):
    data = export(demo)
    before = snapshot()
    with pytest.raises(IatiRefused, match="name its region with --region"):
        import_iati(data, plan_code="NEW-PLAN")
    with pytest.raises(IatiRefused, match="there is no territory 'NOWHERE'"):
        import_iati(data, plan_code="NEW-PLAN", region_code="NOWHERE")
    assert snapshot() == before


# --- files from other publishers -----------------------------------------------------------------


def foreign(activities: str) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">'
    return f"{head}{activities}</iati-activities>".encode()


def activity(
    ident="GB-GOV-1-P1",
    *,
    title='<narrative>Water for Shetpe</narrative><narrative xml:lang="ru">Вода для Шетпе</narrative>',
    orgs='<participating-org ref="GB-GOV-1" role="1" type="10"><narrative>Donor</narrative>'
    "</participating-org>"
    '<participating-org ref="KZ-BIN-990140000001" role="4" type="11">'
    "<narrative>Mangystau district akimat</narrative>"
    '<narrative xml:lang="kk">Маңғыстау ауданының әкімдігі</narrative></participating-org>',
    dates='<activity-date type="1" iso-date="2025-01-01"/>\n<activity-date type="3" iso-date="2026-06-30"/>',
    sector='<sector vocabulary="1" code="14021"><narrative>Water supply - large systems</narrative></sector>',
    extra="",
    results="",
):
    return f"""
  <iati-activity xml:lang="en" default-currency="USD">
    <iati-identifier>{ident}</iati-identifier>
    <reporting-org ref="GB-GOV-1" type="10"><narrative>Donor government</narrative></reporting-org>
    <title>{title}</title>
    <description><narrative>A water main.</narrative></description>
    {orgs}
    <activity-status code="2"/>
    {dates}
    <location ref="MAN"><location-class code="1"/></location>
    <location ref="KZ-MAN-SHETPE"><name><narrative>Shetpe</narrative></name>
      <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>44.16 52.12</pos></point>
      <location-class code="1"/><feature-designation code="PPLA2"/></location>
    {sector}
    <budget type="1"><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
      <value currency="USD" value-date="2025-01-01">1000000</value></budget>
    <budget type="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-06-30"/>
      <value currency="KZT" value-date="2026-01-01">250000000</value></budget>
    {extra}
    {results}
  </iati-activity>"""


RESULT = """
    <result type="2"><title><narrative>More water</narrative></title>
      <indicator measure="1" ascending="1">
        <title><narrative>Households connected</narrative>
          <narrative xml:lang="ru">Подключено домохозяйств</narrative></title>
        <baseline year="2024" value="120"/>
        <period><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
          <target value="800"/>
          <target value="500"><dimension name="sex" value="female"/></target>
          <actual value="310"><comment><narrative>Mid-year count</narrative></comment></actual>
        </period>
      </indicator>
      <indicator measure="5"><title><narrative>Satisfaction</narrative></title>
        <period><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/><target/></period>
      </indicator>
    </result>"""


def test_a_foreign_file_creates_agencies_spheres_territories_as_documented(demo):
    parent = activity("GB-GOV-1-P1", results=RESULT)
    child = activity(
        "GB-GOV-1-P1-C",
        title="<narrative>Pumping station</narrative>",
        sector='<sector vocabulary="1" code="14020"/>',
        extra='<related-activity ref="GB-GOV-1-P1" type="1"/>',
    )
    done = import_iati(foreign(parent + child), plan_code=demo.code)
    p1 = Measure.objects.get(plan=demo, code="P1")  # the identifier without the reporting-org prefix
    assert (p1.title, p1.title_ru, p1.start, p1.due) == (
        "Water for Shetpe",
        "Вода для Шетпе",
        dt.date(2025, 1, 1),
        dt.date(2026, 6, 30),
    )
    assert (
        p1.budget_planned_kzt == Decimal("250000000")
        and "1000000 USD (not converted to KZT)" in p1.budget_source
    )
    assert p1.source.startswith("IATI activity GB-GOV-1-P1, published by Donor government")
    lead = p1.lead_agency
    assert (lead.code, lead.name, lead.name_kk, lead.kind) == (
        "KZ-BIN-990140000001",
        "Mangystau district akimat",
        "Маңғыстау ауданының әкімдігі",
        "akimat",
    )
    assert (p1.sphere.code, p1.sphere.name) == ("dac-14021", "Water supply - large systems")
    territories = {t.code: t for t in p1.territories.all()}
    assert set(territories) == {"MAN", "KZ-MAN-SHETPE"}
    shetpe = territories["KZ-MAN-SHETPE"]
    assert (shetpe.kind, shetpe.parent.code, shetpe.lat, shetpe.lon) == ("settlement", "MNG", 44.16, 52.12)
    child_measure = Measure.objects.get(plan=demo, code="P1-C")
    assert child_measure.parent == p1 and child_measure.sphere.code == "water"  # DAC 14020 is our water
    indicator = Indicator.objects.get(plan=demo, code="P1-R1-I1")
    assert (indicator.name_ru, indicator.unit, indicator.baseline_value) == (
        "Подключено домохозяйств",
        "units",
        120,
    )
    assert indicator.baseline_date == dt.date(2024, 1, 1) and "year only" in indicator.estimate_note
    assert indicator.targets.get().value == 800  # the total, not the disaggregated one
    assert indicator.actuals.get().note == "Mid-year count"
    assert Indicator.objects.filter(plan=demo, code="P1-R1-I2").get().targets.count() == 0  # qualitative
    assert import_iati(foreign(parent + child), plan_code=demo.code).result.changed == 0
    assert done.result.created["measures"] == 2


def test_a_foreign_file_keeps_what_it_does_not_speak_of(demo):
    Measure.objects.filter(plan=demo, code="W-01").update(weight=3, budget_spent_kzt=100)
    xml = activity(
        "XX-BAQYLAU-MNG-URGENT-2024-W-01", title="<narrative>KOS-2, as the donor calls it</narrative>"
    )
    import_iati(
        foreign(xml.replace('reporting-org ref="GB-GOV-1"', 'reporting-org ref="XX-BAQYLAU"')),
        plan_code=demo.code,
    )
    kos = Measure.objects.get(plan=demo, code="W-01")
    assert kos.title == "KOS-2, as the donor calls it"
    assert (kos.weight, kos.budget_spent_kzt, kos.completion_form) == (3, 100, "facility put into operation")
    assert kos.facilities.count() == 1


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (
            activity(
                dates='<activity-date type="1" iso-date="2026-01-01"/>\n'
                '<activity-date type="3" iso-date="2025-01-01"/>'
            ),
            "before the start",
        ),
        (activity() + activity(), "is also given by activity"),
    ],
    ids=["end-before-start", "duplicate"],
)
def test_activities_that_contradict_themselves_are_refused_with_a_clear_message(demo, xml, message):
    before = snapshot()
    with pytest.raises(IatiRefused, match=message):
        import_iati(foreign(xml), plan_code=demo.code)
    assert snapshot() == before


# Valid IATI 2.03 that leaves out what the standard makes optional: imported, with a warning each.
INCOMPLETE = [
    ("no-sector", activity(sector=""), "no sector: filed under sphere 'unassigned'"),
    (
        "no-implementing-org",
        activity(orgs='<participating-org ref="GB-GOV-1" role="1"/>'),
        "no implementing organisation: led by agency 'unassigned'",
    ),
    (
        "org-without-ref",
        activity(orgs='<participating-org role="4"><narrative>Nameless</narrative></participating-org>'),
        "implementing organisation 'Nameless' has no ref: left out",
    ),
    (
        "no-end-date",
        activity(dates='<activity-date type="1" iso-date="2025-01-01"/>'),
        "no end date: due 2027-12-31 (the plan's end)",
    ),
    (
        "unknown-parent",
        activity(extra='<related-activity ref="GB-GOV-1-NOWHERE" type="1"/>'),
        "neither in the file nor a measure of the plan: imported without it",
    ),
    ("long-identifier", activity("GB-GOV-1-" + "X" * 50), "is not a code"),
    ("slash-in-identifier", activity("GB-GOV-1-P/1"), "is not a code"),
    ("empty-title", activity(title="<narrative/>"), "the identifier is used as the title"),
]


@pytest.mark.parametrize(
    ("xml", "warning"), [(x, w) for _i, x, w in INCOMPLETE], ids=[i for i, _x, _w in INCOMPLETE]
)
def test_a_valid_file_that_leaves_optional_things_out_imports_with_a_warning(demo, xml, warning):
    done = import_iati(foreign(xml), plan_code=demo.code)
    assert done.result.created.get("measures") == 1
    assert any(warning in w for w in done.warnings), done.warnings
    measure = Measure.objects.get(plan=demo, source__startswith="IATI activity GB-GOV-1-")
    measure.full_clean()  # a measure like any other
    again = import_iati(foreign(xml), plan_code=demo.code)  # and importing again changes nothing
    assert again.result.changed == 0


def test_an_activity_without_a_sector_takes_the_sphere_the_user_names(demo, tmp_path):
    path = tmp_path / "no-sector.xml"
    path.write_bytes(foreign(activity(sector="")))
    err = io.StringIO()
    call_command(
        "import_iati", str(path), "--plan", demo.code, "--sphere", "water", stdout=io.StringIO(), stderr=err
    )
    assert Measure.objects.get(plan=demo, code="P1").sphere.code == "water"
    assert "warning: activity 'GB-GOV-1-P1'" in err.getvalue() and "sphere 'water'" in err.getvalue()
    with pytest.raises(CommandError, match="there is no sphere 'nope' to use as the default"):
        call_command("import_iati", str(path), "--plan", demo.code, "--sphere", "nope")


def test_unassigned_is_one_sphere_and_one_agency_with_translations(demo):
    import_iati(
        foreign(activity("GB-GOV-1-A", sector="", orgs="<participating-org ref='GB-GOV-1' role='1'/>")),
        plan_code=demo.code,
    )
    import_iati(foreign(activity("GB-GOV-1-B", sector="")), plan_code=demo.code)
    sphere = Sphere.objects.get(code="unassigned")
    assert (sphere.name_ru, sphere.name_kk) == ("не указано", "көрсетілмеген")
    assert sphere.measures.count() == 2
    assert Agency.objects.get(code="unassigned").led_measures.count() == 1


def test_a_value_the_database_refuses_rolls_back_everything(demo):
    good = activity("GB-GOV-1-OK")
    bad = activity(
        "GB-GOV-1-BAD", results=RESULT.replace('target value="800"', 'target value="1234567890123456789012"')
    )
    before = snapshot()
    with pytest.raises(IatiRefused, match=r"activity 'GB-GOV-1-BAD'.*value"):
        import_iati(foreign(good + bad), plan_code=demo.code)
    assert snapshot() == before


def test_a_foreign_file_needs_a_plan(demo):
    with pytest.raises(IatiRefused, match=r"name the plan to import into \(--plan\)"):
        import_iati(foreign(activity()))


def test_the_import_command_reports_what_it_did(demo, tmp_path):
    path = tmp_path / "donor.xml"
    path.write_bytes(foreign(activity()))
    out = io.StringIO()
    call_command("import_iati", str(path), "--plan", demo.code, stdout=out)
    assert (
        "created:" in out.getvalue() and "1 activities imported into plan MNG-URGENT-2024" in out.getvalue()
    )
    out = io.StringIO()
    call_command("import_iati", str(path), "--plan", demo.code, stdout=out)
    assert "nothing changed" in out.getvalue()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_iati", str(tmp_path / "missing.xml"))


def test_narratives_without_english_fall_back_to_the_language_given(demo):
    title = (
        '<narrative xml:lang="kk">Шетпеге су</narrative><narrative xml:lang="ru">Вода для Шетпе</narrative>'
    )
    import_iati(foreign(activity(title=title)), plan_code=demo.code)
    measure = Measure.objects.get(plan=demo, code="P1")
    assert (measure.title, measure.title_ru, measure.title_kk) == (
        "Вода для Шетпе",
        "Вода для Шетпе",
        "Шетпеге су",
    )
    assert XML_LANG  # the narratives' language attribute is xml:lang


def test_imports_are_marked_as_imports_in_the_audit_history(demo, tmp_path):
    from baqylau.interop.iati import export_plans, import_iati
    from baqylau.plans.models import Measure

    data = export_plans([demo])
    Measure.objects.filter(plan=demo, code="W-01").update(completion_form="changed since the export")
    import_iati(data, plan_code=demo.code)
    record = Measure.objects.get(plan=demo, code="W-01").history.first()
    assert record.history_interface == "import"
