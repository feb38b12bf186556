"""Which residence-permit paths apply, and what is still missing (DESIGN.md §8)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PATHS = {
    "art18_judicial": _("Art. 18 D.Lgs. 286/98, judicial path"),
    "art18_social": _("Art. 18 D.Lgs. 286/98, social path"),
    "art18_ter": _("Art. 18-ter D.Lgs. 286/98 (labour exploitation)"),
    "art22_12quater": _("Art. 22 c. 12-quater D.Lgs. 286/98"),
    "international_protection": _("International protection"),
}


@dataclass(frozen=True)
class PermitOption:
    path: str
    applies: bool
    missing: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(PATHS[self.path])


def permit_options(
    *, exploitation: str, complaint_filed: bool, cooperates: bool, asylum_claim: bool, presumed_victim: bool
) -> list[PermitOption]:
    """Every path with whether it applies now and, if not, what it still needs."""
    labour = exploitation == "labour"
    victim_missing = () if presumed_victim else (str(_("a screening that finds a presumed victim")),)
    options = [
        PermitOption(
            "art18_judicial",
            presumed_victim and (complaint_filed or cooperates),
            victim_missing
            + (
                ()
                if complaint_filed or cooperates
                else (str(_("a complaint or cooperation with the judicial authority")),)
            ),
        ),
        PermitOption("art18_social", presumed_victim, victim_missing or ()),
        PermitOption(
            "art18_ter",
            labour and (complaint_filed or cooperates),
            (() if labour else (str(_("labour exploitation")),))
            + (() if complaint_filed or cooperates else (str(_("a complaint about the labour exploitation")),)),
        ),
        PermitOption(
            "art22_12quater",
            labour and complaint_filed and cooperates,
            (() if labour else (str(_("labour exploitation")),))
            + (() if complaint_filed else (str(_("a complaint against the employer")),))
            + (() if cooperates else (str(_("cooperation in the criminal proceedings")),)),
        ),
        PermitOption("international_protection", asylum_claim, () if asylum_claim else (str(_("an asylum claim")),)),
    ]
    return options
