"""Re-verification: the delay setting, `passerelle campagne`, `passerelle verifie`, and the
campaign's progress on the freshness page, run as a maintainer would run them."""

from __future__ import annotations

import csv
import email
import email.policy
import shutil
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from ruamel.yaml import YAML

from generator import clock
from generator.catalogue import load_catalogue
from generator.cli import main
from generator.geo.gazetteer import Gazetteer
from generator.maintainers.campaign import facts
from generator.records.reverification import months_before
from generator.site.exports import spreadsheet_safe
from generator.site.model import SiteModel
from generator.site.observatory import freshness
from tests.sitebuild import build_site
from tests.test_closures import gem

TODAY = clock.today()
OLD = TODAY - timedelta(days=800)
RECENT = TODAY - timedelta(days=30)


def write(
    data: Path, kind: str, record_id: str, verifie_le: date, extra: str = "", commune: tuple[str, str] = ("92260", "Fontenay-aux-Roses")
):
    path = data / kind / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'# Fiche SYNTHÉTIQUE de test.\ntype: {kind}\nnom: "{record_id.upper()} SYNTHÉTIQUE"\n'
        f'adresse:\n  code_postal: "{commune[0]}"\n  commune: {commune[1]}  # commune de la fiche\n{extra}'
        f'sources:\n  - titre: Rapport d\'activité\n    document: Rapport\n    date: "{verifie_le.year}"\nverifie_le: {verifie_le.isoformat()}\n',
        encoding="utf-8",
    )
    return path


def campaign(data: Path, out: Path, *options: str) -> int:
    return main(["campagne", "--data", str(data), "--sortie", str(out), *options])


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 11, 28), 12) == date(2025, 11, 28)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 13) == date(2023, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_the_delay_is_a_setting_of_the_data_folder(tmp_path):
    write(tmp_path, "gem", "gem-huit-mois", TODAY - timedelta(days=240))
    due = lambda: [e.id for e in freshness(SiteModel(load_catalogue(tmp_path), Gazetteer.load())).stale]  # noqa: E731
    assert due() == []  # 12 months by default
    (tmp_path / "reverification.yaml").write_text("delai_mois: 6\n", encoding="utf-8")
    assert due() == ["gem-huit-mois"]


def test_a_mistake_in_the_settings_is_reported_where_it_is(tmp_path, capsys):
    write(tmp_path, "gem", "gem-a", RECENT)
    (tmp_path / "reverification.yaml").write_text("delai_mois: douze\ncampagne:\n  debut: 2020-02-30\n", encoding="utf-8")
    assert main(["validate", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    path = tmp_path / "reverification.yaml"
    assert f"{path}:1:1: delai_mois: doit être un nombre entier" in err
    assert f"{path}:3:3: campagne.debut: date inexistante « 2020-02-30 »" in err


def test_campaign_writes_an_email_or_a_letter_per_record_due_and_a_csv(tmp_path):
    data, out = tmp_path / "data", tmp_path / "envoi"
    write(data, "gem", "gem-courriel", OLD, "courriel: contact@exemple.fr\ntelephone: 01 23 45 67 89\n")
    write(data, "gem", "gem-papier", OLD - timedelta(days=1), 'description: "=1+1"\n')
    write(data, "gem", "gem-a-jour", RECENT, "courriel: a-jour@exemple.fr\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Annuaire\nsite_url: https://annuaire.exemple.org/\nplugins:\n  - passerelle:\n      contact_email: annuaire@exemple.org\n",
        encoding="utf-8",
    )
    assert campaign(data, out, "--config-file", str(config)) == 0

    mail = email.message_from_bytes((out / "courriels" / "gem-courriel.eml").read_bytes(), policy=email.policy.default)
    assert mail["To"] == "GEM-COURRIEL SYNTHÉTIQUE <contact@exemple.fr>"
    assert "est-elle à jour ?" in mail["Subject"] and mail["Date"] and mail["X-Unsent"] == "1"
    body = mail.get_content()
    assert mail.get_content_charset() == "utf-8"
    assert "Téléphone : 01 23 45 67 89" in body and "Site web : non renseigné" in body
    # What the finder lists apart when a record does not say it: asked, so that the structure says it.
    assert "Accessible en fauteuil roulant : non renseigné" in body
    assert "https://annuaire.exemple.org/structures/gem-courriel/#signaler" in body  # the configuration's site_url
    raw = (out / "courriels" / "gem-courriel.eml").read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 998 for line in raw.split(b"\r\n"))  # RFC 5322 line limit

    letter = (out / "courriers" / "gem-papier.html").read_text(encoding="utf-8")
    assert "GEM-PAPIER SYNTHÉTIQUE" in letter and "Tout est juste" in letter and "92260 Fontenay-aux-Roses" in letter
    assert not (out / "courriers" / "gem-a-jour.html").exists() and not (out / "courriels" / "gem-a-jour.eml").exists()

    rows = list(csv.DictReader((out / "campagne.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["id"], r["envoi"], r["departements"]) for r in rows] == [
        ("gem-papier", "courrier", "92"),
        ("gem-courriel", "courriel", "92"),
    ]
    assert rows[1]["courriel"] == "contact@exemple.fr" and rows[1]["message"] == "courriels/gem-courriel.eml"


def test_without_the_centre_s_address_the_messages_send_to_no_report_fold(tmp_path):
    """A site without contact_email has no « Signaler une erreur » on its pages: no message may send there."""
    data, out = tmp_path / "data", tmp_path / "envoi"
    write(data, "gem", "gem-courriel", OLD, "courriel: contact@exemple.fr\n")
    write(data, "gem", "gem-papier", OLD)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Annuaire\nsite_url: https://annuaire.exemple.org/\n", encoding="utf-8")
    assert campaign(data, out, "--config-file", str(config)) == 0
    body = email.message_from_bytes((out / "courriels" / "gem-courriel.eml").read_bytes(), policy=email.policy.default).get_content()
    assert "Votre fiche en ligne : https://annuaire.exemple.org/structures/gem-courriel/" in body
    assert "#signaler" not in body and "signaler une erreur" not in body
    letter = (out / "courriers" / "gem-papier.html").read_text(encoding="utf-8")
    assert "#signaler" not in letter and "en ligne depuis votre fiche" not in letter
    # With the centre's phone only, the pages have the fold (it says to call): the messages lead to it.
    config.write_text(
        config.read_text(encoding="utf-8") + "plugins:\n  - passerelle:\n      centre_phone: 01 46 61 12 34\n", encoding="utf-8"
    )
    assert campaign(data, out, "--config-file", str(config)) == 0
    letter = (out / "courriers" / "gem-papier.html").read_text(encoding="utf-8")
    assert "en ligne depuis votre fiche : https://annuaire.exemple.org/structures/gem-papier/#signaler" in letter


def test_the_messages_give_the_centre_s_name_phone_and_e_mail_to_reply(tmp_path):
    data, out = tmp_path / "data", tmp_path / "envoi"
    write(data, "gem", "gem-courriel", OLD, "courriel: contact@exemple.fr\n")
    write(data, "gem", "gem-papier", OLD)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Annuaire\nplugins:\n  - passerelle:\n      centre_name: Centre SYNTHÉTIQUE\n"
        '      centre_phone: "01 23 45 67 89"\n      contact_email: annuaire@exemple.org\n',
        encoding="utf-8",
    )
    assert campaign(data, out, "--config-file", str(config)) == 0
    letter = (out / "courriers" / "gem-papier.html").read_text(encoding="utf-8")
    assert "<p>Centre SYNTHÉTIQUE<br>Tél. 01 23 45 67 89<br>annuaire@exemple.org</p>" in letter
    assert (
        "<p>Vous pouvez nous répondre par courrier, par téléphone au 01 23 45 67 89 ou par courriel à annuaire@exemple.org.</p>" in letter
    )
    assert "« Annuaire »<br>Centre SYNTHÉTIQUE</p>" in letter
    mail = email.message_from_bytes((out / "courriels" / "gem-courriel.eml").read_bytes(), policy=email.policy.default)
    body = mail.get_content().replace("\r\n", "\n")
    assert "L'équipe de l'annuaire « Annuaire »\nCentre SYNTHÉTIQUE\nTél. 01 23 45 67 89\nannuaire@exemple.org\n" in body


def test_a_missing_or_wrong_configuration_stops_the_campaign_before_anything_is_written(tmp_path, capsys):
    """Without it, the messages would go without the sender, the directory's name or a way to answer."""
    data, out = tmp_path / "data", tmp_path / "envoi"
    write(data, "gem", "gem-papier", OLD)
    absent = tmp_path / "nope.yml"
    assert campaign(data, out, "-f", str(absent)) == 1
    assert capsys.readouterr().err == (
        f"--config-file {absent} : fichier introuvable — indiquez la configuration du site (mkdocs.yml, dans le dossier du dépôt) : "
        "elle donne le nom de l'annuaire, son adresse et le contact du centre que disent les messages.\n"
    )
    wrong = tmp_path / "mkdocs.yml"
    wrong.write_text('plugins:\n  - passerelle:\n      centre_phone: "12"\n', encoding="utf-8")
    assert campaign(data, out, "-f", str(wrong)) == 1
    assert capsys.readouterr().err == f"{wrong} : centre_phone : numéro de téléphone invalide « 12 » (exemple attendu : 01 23 45 67 89)\n"
    wrong.write_text("site_name: [\n", encoding="utf-8")
    assert campaign(data, out, "-f", str(wrong)) == 1
    assert capsys.readouterr().err == f"{wrong}:2:1 : configuration illisible (YAML mal formé) — corrigez-la à cet endroit.\n"
    assert not out.exists() and not (data / "reverification.yaml").exists()


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+33 1", "-1 x", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_stay_text(cell):
    # The campaign's CSV goes through the open data's rule (generator/site/exports.py).
    assert spreadsheet_safe(cell) == "'" + cell
    assert spreadsheet_safe("GEM " + cell) == "GEM " + cell


def test_campaign_scope_and_start_are_recorded_and_a_reminder_keeps_the_start(tmp_path, capsys):
    data = tmp_path / "data"
    write(data, "gem", "gem-92", OLD)
    write(data, "gem", "gem-75", OLD, commune=("75019", "Paris"))
    write(data, "collectif", "collectif-92", OLD)
    settings = data / "reverification.yaml"
    settings.write_text("# Délai choisi par le centre ressource.\ndelai_mois: 12\n", encoding="utf-8")
    assert campaign(data, tmp_path / "a", "--departement", "92", "--type", "gem") == 0
    assert sorted(p.stem for p in (tmp_path / "a" / "courriers").iterdir()) == ["gem-92"]
    text = settings.read_text(encoding="utf-8")
    assert text.startswith("# Délai choisi par le centre ressource.\ndelai_mois: 12\n")
    assert f"debut: {TODAY.isoformat()}" in text and "departements: ['92']" in text and "types: [gem]" in text
    capsys.readouterr()
    # Another scope while this campaign is under way: refused, unless asked for.
    assert campaign(data, tmp_path / "b", "--type", "collectif") == 1
    assert "une campagne est en cours depuis le" in capsys.readouterr().err
    assert campaign(data, tmp_path / "b", "--type", "collectif", "--nouvelle") == 0
    assert "types: [collectif]" in settings.read_text(encoding="utf-8") and "departements" not in settings.read_text(encoding="utf-8")


def test_a_reminder_round_puts_the_previous_one_aside_untouched(tmp_path, capsys):
    data, out = tmp_path / "data", tmp_path / "envois"
    write(data, "gem", "gem-a", OLD)
    write(data, "gem", "gem-b", OLD, 'courriel: "contact@gem-b.example"\n')
    assert campaign(data, out) == 0
    first = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert sorted(first) == ["campagne.csv", "courriels/gem-b.eml", "courriers/gem-a.html"]
    # The telephone follow-up: a note in the list, then gem-b confirms.
    with open(out / "campagne.csv", "a", encoding="utf-8") as handle:
        handle.write("gem-b,rappelée le 3 : confirme par courriel\n")
    first["campagne.csv"] = (out / "campagne.csv").read_bytes()
    assert main(["verifie", "gem-b", "--data", str(data), "--source", "Courriel de la structure", "--date", TODAY.isoformat()]) == 0
    capsys.readouterr()

    assert campaign(data, out) == 0
    said = capsys.readouterr().out
    [aside] = [p for p in out.iterdir() if p.name.startswith("envoi-du-")]
    assert f"Les envois écrits avant dans {out} sont rangés, tels quels, dans {aside}." in said
    assert {str(p.relative_to(aside)): p.read_bytes() for p in sorted(aside.rglob("*")) if p.is_file()} == first
    # Only what is to be sent now: gem-b, which has confirmed, is not asked again.
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and aside not in p.parents) == [
        "campagne.csv",
        "courriers/gem-a.html",
    ]


def test_a_campaign_on_an_unknown_departement_is_refused_before_anything_is_written(tmp_path, capsys):
    data = tmp_path / "data"
    write(data, "gem", "gem-92", OLD)
    assert campaign(data, tmp_path / "envois", "--departement", "92,929", "--nouvelle") == 1
    assert capsys.readouterr().err == "--departement : département inconnu « 929 » (exemples : 75, 2A, 971)\n"
    assert not (tmp_path / "envois").exists() and not (data / "reverification.yaml").exists()


def test_a_campaign_is_not_written_into_the_records(tmp_path, capsys):
    data = tmp_path / "data"
    write(data, "gem", "gem-92", OLD)
    for out in (data, data / "gem"):
        assert campaign(data, out) == 1
        assert (
            capsys.readouterr().err
            == f"{out} : les envois ne peuvent pas être écrits dans le dossier des fiches — indiquez un autre dossier, par exemple envois\n"
        )
    assert main(["validate", "--data", str(data)]) == 0
    assert not (data / "reverification.yaml").exists(), "no campaign started"


def test_a_campaign_whose_folder_cannot_be_made_is_not_recorded(tmp_path, capsys):
    data = tmp_path / "data"
    write(data, "gem", "gem-92", OLD)
    settings = data / "reverification.yaml"
    settings.write_text("delai_mois: 12\n", encoding="utf-8")
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    assert campaign(data, tmp_path / "fichier" / "campagne") == 1
    assert capsys.readouterr().err == f"{tmp_path / 'fichier' / 'campagne'} : une partie du chemin n'est pas un dossier\n"
    assert settings.read_text(encoding="utf-8") == "delai_mois: 12\n", "no campaign started without its messages"


def test_a_campaign_whose_messages_cannot_be_written_leaves_the_one_under_way(tmp_path, capsys, monkeypatch):
    """The start is recorded once the messages are written: a folder that refuses them (read-only, full disk) leaves the
    campaign under way as it was, not a new one without messages."""
    data = tmp_path / "data"
    write(data, "gem", "gem-92", OLD)
    settings = data / "reverification.yaml"
    settings.write_text("delai_mois: 12\ncampagne:\n  debut: 2026-01-05\n", encoding="utf-8")

    def refused(*_):
        raise PermissionError(13, "Permission denied", str(tmp_path / "envois" / "courriers" / "gem-92.html"))

    monkeypatch.setattr("generator.maintainers.campaign.letter", refused)
    assert campaign(data, tmp_path / "envois", "--nouvelle", "--departement", "92") == 1
    assert "Traceback" not in capsys.readouterr().err
    assert settings.read_text(encoding="utf-8") == "delai_mois: 12\ncampagne:\n  debut: 2026-01-05\n"


def test_freshness_page_shows_the_campaigns_progress(tmp_path):
    data = tmp_path / "data"
    for name in ("gem-un", "gem-deux", "gem-trois"):
        write(data, "gem", name, OLD)
    write(data, "gem", "gem-hors-campagne", OLD, commune=("75019", "Paris"))
    assert campaign(data, tmp_path / "envoi", "--departement", "92") == 0
    assert main(["verifie", "gem-deux", "--data", str(data), "--source", "Échange téléphonique avec la structure"]) == 0
    report = freshness(SiteModel(load_catalogue(data), Gazetteer.load()))
    progress = report.campaign
    assert progress.campagne.debut == TODAY and progress.campagne.departements == ["92"]
    assert [e.id for e in progress.confirmed] == ["gem-deux"]
    assert sorted(e.id for e in progress.due) == ["gem-trois", "gem-un"]
    site = build_site(tmp_path / "site", data, contact_email="annuaire@example.org")
    page = (site / "observatoire" / "fraicheur" / "index.html").read_text(encoding="utf-8")
    assert '<dd id="campagne-confirmees">1 sur 3</dd>' in page and '<dd id="campagne-a-confirmer">2</dd>' in page


def test_verifie_adds_a_dated_source_and_keeps_the_files_comments_and_order(tmp_path, capsys):
    path = write(tmp_path, "gem", "gem-a", OLD, "telephone: 01 23 45 67 89  # standard\n")
    before = path.read_text(encoding="utf-8")
    day = TODAY - timedelta(days=2)
    assert (
        main(["verifie", "gem-a", "--data", str(tmp_path), "--source", "Échange téléphonique avec la structure", "--date", day.isoformat()])
        == 0
    )
    after = path.read_text(encoding="utf-8")
    expected = before.replace(
        f"verifie_le: {OLD.isoformat()}\n",
        f'  - titre: Échange téléphonique avec la structure\n    document: Confirmation par la structure des informations de sa fiche\n    date: "{day.isoformat()}"\nverifie_le: {day.isoformat()}\n',
    )
    assert after == expected
    assert main(["validate", "--data", str(tmp_path)]) == 0


def test_verifie_refuses_a_future_date_or_an_unknown_record_in_french(tmp_path, capsys):
    path = write(tmp_path, "gem", "gem-exemple", OLD)
    before = path.read_bytes()
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert main(["verifie", "gem-exemple", "--data", str(tmp_path), "--source", "Appel", "--date", tomorrow]) == 1
    assert f"la date {tomorrow} est dans le futur" in capsys.readouterr().err
    assert main(["verifie", "gem-exempel", "--data", str(tmp_path), "--source", "Appel"]) == 1
    assert "fiche inconnue « gem-exempel » : vouliez-vous dire « gem-exemple » ?" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_verifie_with_an_older_reply_adds_its_source_and_keeps_the_later_verification(tmp_path, capsys):
    """Replies entered out of order: the older one is cited, and the record stays as fresh as the newer one made it."""
    path = write(tmp_path, "gem", "gem-a", OLD)
    newer, older = TODAY - timedelta(days=10), TODAY - timedelta(days=400)
    assert main(["verifie", "gem-a", "--data", str(tmp_path), "--source", "Appel", "--date", newer.isoformat()]) == 0
    capsys.readouterr()
    assert main(["verifie", "gem-a", "--data", str(tmp_path), "--source", "Courriel", "--date", older.isoformat()]) == 0
    assert capsys.readouterr().out == (
        f"{path} : source « Courriel » du {older.isoformat()} ajoutée ; la fiche reste vérifiée le {newer.isoformat()}, "
        "une vérification plus récente déjà enregistrée.\n"
    )
    text = path.read_text(encoding="utf-8")
    assert f'  - titre: Courriel\n    document: Confirmation par la structure des informations de sa fiche\n    date: "{older}"\n' in text
    assert text.endswith(f"verifie_le: {newer.isoformat()}\n")
    assert main(["validate", "--data", str(tmp_path)]) == 0


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--source", ""], "--source : texte vide"),
        (
            ["--source", "Site de la structure", "--url", "www.x.fr"],
            "--url : adresse web invalide « www.x.fr » : elle doit commencer par https:// ou http://",
        ),
        (["--source", "Appel", "--document", " "], "--document : texte vide"),
    ],
)
def test_verifie_says_a_wrong_option_as_the_option_before_writing(tmp_path, capsys, options, said):
    """Not as a line of the version of the file that the check would have written, then undone."""
    path = write(tmp_path, "gem", "gem-a", OLD)
    before = path.read_bytes()
    assert main(["verifie", "gem-a", "--data", str(tmp_path), *options]) == 1
    assert capsys.readouterr().err == said + "\n"
    assert path.read_bytes() == before


def test_verifie_keeps_both_the_url_and_the_document_given(tmp_path):
    path = write(tmp_path, "gem", "gem-a", OLD)
    options = ["--source", "Site de la structure", "--url", "https://gem-a.example/contact", "--document", "Page « Nous contacter »"]
    assert main(["verifie", "gem-a", "--data", str(tmp_path), *options]) == 0
    assert "    url: https://gem-a.example/contact\n    document: Page « Nous contacter »\n" in path.read_text(encoding="utf-8")


def test_round_trip_on_the_shipped_data(repo_root, tmp_path, capsys):
    """Every shipped record older than 12 months is in the campaign; a confirmation takes one out
    of the next list and out of the site's records to check again."""
    data = tmp_path / "data"
    shutil.copytree(repo_root / "data", data)
    _date_verifications_by_their_newest_source(data)
    cutoff = months_before(TODAY, 12)
    yaml = YAML(typ="safe")
    shipped = {p.stem: yaml.load(p.read_text(encoding="utf-8")) for p in data.glob("*/*.yaml") if p.parent.name != "geo"}
    expected = sorted(rid for rid, record in shipped.items() if date.fromisoformat(str(record["verifie_le"])) < cutoff)
    assert expected, "no shipped record is older than 12 months"

    def listed(out: str) -> list[str]:
        capsys.readouterr()
        assert campaign(data, tmp_path / out) == 0
        rows = csv.DictReader((tmp_path / out / "campagne.csv").read_text(encoding="utf-8-sig").splitlines())
        return sorted(row["id"] for row in rows)

    assert listed("premier-envoi") == expected
    confirmed = expected[0]
    assert main(["verifie", confirmed, "--data", str(data), "--source", "Échange téléphonique avec la structure"]) == 0
    assert listed("relance") == expected[1:]
    assert main(["validate", "--data", str(data)]) == 0
    site = build_site(tmp_path / "site", data, contact_email="annuaire@example.org")
    page = (site / "observatoire" / "fraicheur" / "index.html").read_text(encoding="utf-8")
    stale_table = page.split('id="fiches-a-reverifier"')[1].split("</table>")[0]
    assert f"structures/{confirmed}/" not in stale_table and f"structures/{expected[1]}/" in stale_table
    record_page = (site / "structures" / confirmed / "index.html").read_text(encoding="utf-8")
    assert "Informations peut-être anciennes" not in record_page
    assert 'id="signaler"' in record_page  # where the messages' « signaler une erreur » link leads
    assert "Informations peut-être anciennes" in (site / "structures" / expected[1] / "index.html").read_text(encoding="utf-8")


def _date_verifications_by_their_newest_source(data: Path) -> None:
    """What the data-truth branch does to the shipped records: a record is verified no later
    than its newest source (a source dated « 2022 » backs a verification up to the end of 2022).
    Records already dated that way are left as they are."""
    yaml = YAML()
    yaml.preserve_quotes = True
    for path in data.glob("*/*.yaml"):
        if path.parent.name == "geo":
            continue
        record = yaml.load(path.read_text(encoding="utf-8"))
        dates = [_end_of(str(s["date"])) for s in record["sources"] if s.get("date")]
        if dates and date.fromisoformat(str(record["verifie_le"])) > max(dates):
            record["verifie_le"] = max(dates)
            with open(path, "w", encoding="utf-8") as handle:
                yaml.dump(record, handle)


def _end_of(partial: str) -> date:
    parts = [int(p) for p in partial.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(parts[0], 12, 31)


def test_a_local_site_address_is_never_sent(tmp_path):
    data, out = tmp_path / "data", tmp_path / "envoi"
    write(data, "gem", "gem-courriel", OLD, "courriel: contact@exemple.fr\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Annuaire\nsite_url: http://127.0.0.1:8000/\n", encoding="utf-8")
    assert campaign(data, out, "--config-file", str(config)) == 0
    assert "127.0.0.1" not in (out / "courriels" / "gem-courriel.eml").read_text(encoding="utf-8")


def test_the_message_shows_when_the_hours_change_so_that_the_structure_confirms_it_too():
    entry = SimpleNamespace(record=gem(horaires="Mo-Fr 09:00-17:00; Aug off"), place=SimpleNamespace(departements=("92",)))
    said = dict(facts(entry, date(2026, 11, 29)))
    assert said["Horaires"].startswith("Lundi : 9 h – 17 h\n") and said["Horaires"].endswith(
        "\nDimanche : fermé\nFermé du 2 au 31 août 2027"
    )
    assert said["Fermetures et horaires exceptionnels"] == "non renseigné"


def test_the_message_shows_the_coming_closures_and_exceptional_hours_as_the_page_does():
    # The letter asked the structure to confirm its facts but left out the closures the site announces.
    record = gem(
        horaires="Mo-Fr 09:00-17:00",
        fermetures=[{"du": "2026-09-01", "au": "2026-09-30"}, {"du": "2026-12-20", "au": "2027-01-05", "motif": "congés d'hiver"}],
        horaires_exceptionnels=[{"du": "2027-02-01", "au": "2027-02-03", "horaires": "Mo-We 14:00-16:00"}],
    )
    entry = SimpleNamespace(record=record, place=SimpleNamespace(departements=("92",)))
    assert dict(facts(entry, date(2026, 11, 29)))["Fermetures et horaires exceptionnels"] == (
        "Fermé du 20 décembre 2026 au 5 janvier 2027 (congés d'hiver)\n"
        "Horaires exceptionnels du 1er au 3 février 2027 :\n"
        "  Lundi 1er février : 14 h – 16 h\n  Mardi 2 février : 14 h – 16 h\n  Mercredi 3 février : 14 h – 16 h"
    )
