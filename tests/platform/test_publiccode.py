"""publiccode.yml meets the standard (v0.4) Developers Italia's catalogue reads: its mandatory keys, their types,
lengths and controlled vocabularies, written as a JSON schema (https://yml.publiccode.tools; no network)."""

from pathlib import Path

import jsonschema_rs
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

# The controlled vocabularies of v0.4 (docs/standard/categories-list.rst and scope-list.rst of the standard).
CATEGORIES = [
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "integrated-library-system",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "regulations-and-directives",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "website-builder",
    "whistleblowing",
    "workflow-management",
]
SCOPES = [
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "government",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
]

URL = {"type": "string", "pattern": "^https?://"}
STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
DEPENDENCY = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "versionMin": {"type": "string"},
        "versionMax": {"type": "string"},
        "version": {"type": "string"},
        "optional": {"type": "boolean"},
    },
    "additionalProperties": False,
}
DESCRIPTION = {
    "type": "object",
    "required": ["shortDescription", "longDescription", "features"],
    "properties": {
        "localisedName": {"type": "string"},
        "shortDescription": {"type": "string", "minLength": 1, "maxLength": 150},
        "longDescription": {"type": "string", "minLength": 150, "maxLength": 10000},
        "documentation": URL,
        "apiDocumentation": URL,
        "features": {**STRINGS, "minItems": 1},
        "screenshots": STRINGS,
        "videos": {"type": "array", "items": URL},
        "awards": STRINGS,
    },
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "required": [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ],
    "properties": {
        "publiccodeYmlVersion": {"const": "0.4"},
        "name": {"type": "string", "minLength": 1},
        "url": URL,
        "landingURL": URL,
        "softwareVersion": {"type": "string"},
        "releaseDate": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "platforms": {**STRINGS, "minItems": 1},
        "categories": {"type": "array", "minItems": 1, "items": {"enum": CATEGORIES}},
        "developmentStatus": {"enum": ["concept", "development", "beta", "stable", "obsolete"]},
        "softwareType": {
            "enum": [
                "standalone/mobile",
                "standalone/iot",
                "standalone/desktop",
                "standalone/web",
                "standalone/backend",
                "standalone/other",
                "addon",
                "library",
                "configurationFiles",
            ]
        },
        "intendedAudience": {
            "type": "object",
            "properties": {
                "countries": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2}$"}},
                "scope": {"type": "array", "items": {"enum": SCOPES}},
            },
        },
        "description": {
            "type": "object",
            "required": ["it", "en"],  # Italian and English, as the interface
            "additionalProperties": DESCRIPTION,
        },
        "legal": {
            "type": "object",
            "required": ["license"],
            "properties": {"license": {"type": "string", "minLength": 1}},
        },
        "maintenance": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["internal", "contract", "community", "none"]},
                "contacts": {
                    "type": "array",
                    "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                },
            },
            "if": {"properties": {"type": {"enum": ["internal", "community"]}}},
            "then": {"required": ["contacts"], "properties": {"contacts": {"minItems": 1}}},
        },
        "localisation": {
            "type": "object",
            "required": ["localisationReady", "availableLanguages"],
            "properties": {
                "localisationReady": {"type": "boolean"},
                "availableLanguages": {**STRINGS, "minItems": 1},
            },
        },
        "dependsOn": {
            "type": "object",
            "properties": {
                kind: {"type": "array", "items": DEPENDENCY} for kind in ("open", "proprietary", "hardware")
            },
            "additionalProperties": False,
        },
        "it": {
            "type": "object",
            "required": ["countryExtensionVersion"],
            "properties": {
                "countryExtensionVersion": {"const": "1.0"},
                "piattaforme": {"type": "object", "additionalProperties": {"type": "boolean"}},
            },
        },
    },
}


def publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_yml_meets_the_standard():
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in jsonschema_rs.validator_for(SCHEMA).iter_errors(publiccode())
    ]
    assert errors == []


@pytest.mark.parametrize(
    "broken",
    [
        lambda d: d.pop("legal"),
        lambda d: d["description"]["en"].update(shortDescription="x" * 151),
        lambda d: d["categories"].append("case-management"),  # not in the vocabulary
        lambda d: d["maintenance"].pop("contacts"),
    ],
)
def test_the_schema_catches_what_the_catalogue_would_refuse(broken):
    document = publiccode()
    broken(document)
    assert not jsonschema_rs.validator_for(SCHEMA).is_valid(document)


def test_the_licence_named_is_the_licence_file_and_the_languages_are_the_sites():
    from django.conf import settings

    document = publiccode()
    assert document["legal"]["license"] in (ROOT / "LICENCE").read_text(encoding="utf-8")
    assert document["localisation"]["availableLanguages"] == [code for code, _name in settings.LANGUAGES]
