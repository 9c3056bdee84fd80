"""Demo content for the teaser rails and the article page.

Pure data, modelled on a real German regional news page: one full article
plus the teaser rails around it. Sponsored slots carry an invented advertiser.
"""

from __future__ import annotations

# (name, slug) in navigation order.
SECTIONS = [
    ("Nachrichten", "nachrichten"),
    ("Region", "aus-der-region"),
    ("Blaulicht", "blaulicht"),
    ("Sport", "sport"),
    ("Promi & Show", "promi-show"),
    ("Digital", "digital"),
]

ARTICLE = {
    "section": "digital",
    "kicker": "Kurzmitteilungsdienst",
    "headline": "WhatsApp soll bald für einige Geld kosten!",
    "teaser": (
        "Der Kurzmitteilungsdienst ist bald nicht mehr für alle Kunden kostenlos."
    ),
    "dateline": "Mountain View",
    "paragraphs": [
        (
            "WhatsApp will von Unternehmen künftig Geld verlangen, wenn sie Facebooks "
            "Kurzmitteilungsdienst für die Kommunikation mit ihren Kunden nutzen."
        ),
        (
            "Das sagte der für das operative Geschäft zuständige WhatsApp-Manager Matt "
            'Idema dem "Wall Street Journal". Das wäre eine Abkehr von Facebooks '
            "typischem Geschäftsmodell, seine Dienste über Werbung zu finanzieren. "
            "WhatsApp-Mitgründer Jan Koum hatte auch nach der Übernahme durch Facebook "
            "stets betont, dass der Service werbefrei bleiben solle. WhatsApp hat mehr "
            "als eine Milliarde Nutzer."
        ),
        (
            '"Wir wollen eine Grundlage dafür schaffen, damit Menschen Unternehmen '
            "Kurzmitteilungen schicken können und die Antworten, die sie wollen, "
            'bekommen", sagte Idema der Zeitung. "Wir haben vor, dafür von '
            'Unternehmen in der Zukunft Geld zu verlangen." Bisher wurden Firmen '
            "probeweise kostenlose Werkzeuge für den Kontakt zu Kunden angeboten. An "
            "dem Test nahm unter anderem die Fluggesellschaft KLM teil."
        ),
        (
            "Derzeit gehe es um eine kostenlose Business-App für kleine bis "
            "mittelgroße Unternehmen, und eine Unternehmenslösung für Großunternehmen "
            "mit globaler Kundschaft, wie zum Beispiel Fluggesellschaften, "
            "Onlinehandel und Banken, erklärte WhatsApp in einem Blogeintrag am "
            'Dienstag. "Unternehmen werden unsere Lösungen dazu nutzen können, um '
            "ihre Kunden über nützliche Informationen wie Flugzeiten, "
            'Lieferbestätigungen und andere Informationen zu benachrichtigen."'
        ),
        (
            "Wenn Nutzer nicht möchten, dass sie von einem bestimmten Unternehmen "
            "kontaktiert werden, könnten sie es blockieren, hieß es. Erkennen kann man "
            "die Firmen mit verifizierter Telefonnummer an einem Siegel mit einem "
            "weißen Häkchen auf grünem Hintergrund. Die Chats mit den Firmen seien wie "
            "die restliche WhatsApp-Kommunikation Ende-zu-Ende verschlüsselt."
        ),
        (
            "Das Online-Netzwerk bietet bei seinem zweiten Kurzmitteilungsdienst, dem "
            "Facebook Messenger, ebenfalls die Möglichkeit für Unternehmen, mit ihren "
            "Kunden zu kommunizieren. Dort soll das Geld aber mit Werbung verdient "
            "werden. Messenger-Chef David Marcus will außerdem automatisierte Chatbots "
            "für den Kundendienst auf der Plattform etablieren."
        ),
        (
            "Facebook hatte WhatsApp im Jahr 2014 für rund 22 Milliarden Dollar "
            "übernommen. Zuletzt gab es Kontroversen mit Datenschützern über einen "
            "Austausch von Nutzerdaten zwischen WhatsApp und Facebook, in Europa "
            "liegen die Pläne auf Eis."
        ),
    ],
    "photo_caption": (
        "WhatsApp will künftig von Unternehmen Geld für die Nutzung verlangen."
    ),
    "view_count": 19467,
    # Search engines and social networks (the social image: the lead photo).
    "seo": {
        "seo_title": "WhatsApp will Geld von Unternehmen verlangen",
        "meta_description": (
            "Der Kurzmitteilungsdienst will Firmen künftig für den Kontakt mit "
            "ihren Kunden bezahlen lassen. Was das für Nutzer bedeutet."
        ),
        "social_title": "WhatsApp: Bald zahlen Unternehmen für Chats mit Kunden",
        "social_teaser": (
            "Der Dienst bleibt für Nutzer kostenlos – Firmen sollen künftig zahlen."
        ),
    },
}

# The article with every body element (docs/editor-guide.md shows it): a
# photo and a gallery of pictures from two agencies, info box, quote, fact
# list, a YouTube video and a post on X, the embeds behind the two-click
# consent. The body is in its stored form (articles/sanitising.py BLOCKS);
# the demo puts the photo and gallery blocks where BODY_MEDIA marks them
# (their numbers are the rows'). The embeds' addresses are real (the first
# YouTube video, the first post on X, both also in dpa's samples).
BODY_MEDIA = ("{photo}", "{gallery}")
BODY_ELEMENTS_TEMPLATE = (
    "<p>Die Stadt beginnt in der kommenden Woche mit dem Bau einer mobilen "
    "Hochwasserschutzwand zwischen Altstadt und Rheinauhafen. Die Arbeiten "
    "sollen bis zum Frühjahr dauern.</p>"
    "{photo}"
    '<div data-block="infobox"><h3>Was ist eine mobile Schutzwand?</h3>'
    "<p>Aluminiumelemente, die bei steigendem Pegel zwischen fest "
    "verankerten Stützen eingesetzt werden. Sie schützen bis zu einem "
    "Pegel von <strong>11,30 Metern</strong>.</p></div>"
    "<h2>Was die Stadt sagt</h2>"
    '<figure data-block="quote"><blockquote>Wir wollen nicht warten, bis '
    "das nächste Hochwasser die Altstadt erreicht.</blockquote>"
    "<figcaption>Petra Berg, Leiterin der Hochwasserschutzzentrale"
    "</figcaption></figure>"
    '<div data-block="factlist"><h3>Die Schutzwand in Zahlen</h3><ul>'
    "<li><p>Länge: 1,2 Kilometer</p></li>"
    "<li><p>Kosten: 14,5 Millionen Euro</p></li>"
    "<li><p>Bauzeit: 20 Wochen</p></li>"
    "<li><p>Aufbau im Ernstfall: 8 Stunden</p></li></ul></div>"
    "<h2>So sah es beim letzten Hochwasser aus</h2>"
    "{gallery}"
    '<div data-block="embed" data-provider="youtube" data-id="jNQXAC9IVRw" '
    'data-url="https://www.youtube.com/watch?v=jNQXAC9IVRw"></div>'
    "<p>Auch in den sozialen Netzwerken wurde über die Pläne diskutiert.</p>"
    '<div data-block="embed" data-provider="x" data-id="20" '
    'data-url="https://x.com/jack/status/20"></div>'
    "<p>Während der Bauzeit bleibt der Radweg am Ufer abschnittsweise "
    "gesperrt; die Umleitung ist ausgeschildert.</p>"
)
BODY_ELEMENTS_ARTICLE = {
    "section": "aus-der-region",
    "kicker": "Hochwasserschutz",
    "headline": "Neue Schutzwand am Rheinufer: Was Anwohner jetzt wissen müssen",
    "teaser": (
        "Die Stadt baut bis zum Frühjahr eine mobile Hochwasserschutzwand. "
        "Ein Überblick über Zeitplan, Kosten und Sperrungen."
    ),
    "dateline": "Köln",
    "view_count": 4821,
    # Without the photo and the gallery: a body that needs no photo rows
    # (tests use it as it is).
    "body": BODY_ELEMENTS_TEMPLATE.replace(BODY_MEDIA[0], "").replace(
        BODY_MEDIA[1], ""
    ),
    "seo": {
        "seo_title": "Mobile Hochwasserschutzwand am Rheinufer: Zeitplan und Kosten",
        "meta_description": (
            "1,2 Kilometer, 14,5 Millionen Euro, 20 Wochen Bauzeit: was die "
            "neue Schutzwand zwischen Altstadt und Rheinauhafen für Anwohner "
            "bedeutet."
        ),
        "social_title": "So schützt die neue Wand die Altstadt vor dem Rhein",
        "social_teaser": "Zeitplan, Kosten, Sperrungen: alles zur neuen Schutzwand.",
    },
    # (caption, alt text, creator, agency short name)
    "lead_photo": (
        "Am Rheinufer soll die mobile Schutzwand stehen.",
        "Das Rheinufer mit Häuserzeile und Kirchturm unter grauem Himmel",
        "Lena Hartmann",
        "dpa",
    ),
    "body_photo": (
        "Probeaufbau: Helfer setzen die Aluminiumelemente ein.",
        "Graue Wandelemente zwischen Stützen vor dem Fluss, dahinter Häuser",
        "Pierre Martin",
        "AFP",
    ),
    "body_photo_caption": "Beim Probeaufbau im Herbst stand die Wand in acht Stunden.",
    "gallery": {
        "title": "Hochwasser am Rhein: Die Bilder vom letzten Winter",
        "description": "Wie der Rhein im Januar über die Ufer trat.",
        "pictures": [
            (
                "Der Pegel erreichte am Morgen 9,80 Meter.",
                "Braunes Hochwasser vor der Häuserzeile der Altstadt",
                "Lena Hartmann",
                "dpa",
            ),
            (
                "Die Uferpromenade stand vollständig unter Wasser.",
                "Überflutete Promenade, Häuser spiegeln sich im Wasser",
                "Pierre Martin",
                "AFP",
            ),
            (
                "Einsatzkräfte bauten Schutzwände am Rheinauhafen auf.",
                "Graue Schutzwand mit Stützen vor dem Fluss",
                "Jonas Weber",
                "dpa",
            ),
            (
                "Am Abend zog das Wasser langsam ab.",
                "Der Fluss unter tief hängenden Wolken, am Ufer ein Kirchturm",
                "Claire Moreau",
                "AFP",
            ),
        ],
    },
}

# One dict per rail, in page order. Items in page order; each item is either an
# editorial teaser or a sponsored slot.
RAILS = [
    {
        "title": "Top-Themen",
        "slug": "top-themen",
        "items": [
            {
                "kicker": "",
                "headline": (
                    "Schluss mit goldenem Oktober! Erster Herbststurm rollt auf uns zu"
                ),
                "section": "nachrichten",
                "badge": "top",
                "views": 8420,
            },
            {
                "kicker": "In der Heimat",
                "headline": '"Game of Thrones"-Star hat sich getraut',
                "section": "promi-show",
                "badge": "top",
                "views": 6135,
            },
            {
                "kicker": "",
                "headline": (
                    "TSG Hoffenheim will ersten Champions-League-Sieg der "
                    "Vereinsgeschichte"
                ),
                "section": "sport",
                "badge": "neu",
                "views": 2378,
            },
            {
                "kicker": "Blutbad im Auftrag des Teufels",
                "headline": "Was passiert mit dem Tatverdächtigen?",
                "section": "blaulicht",
                "badge": "neu",
                "views": 3964,
            },
            {
                "sponsored": True,
                "advertiser": "Traumlos Soziallotterie",
                "kicker": "Spenden für guten Zweck",
                "headline": "Mitmachen und Traumreise gewinnen!",
                "views": 4839,
            },
        ],
    },
    {
        "title": "Neueste Nachrichten",
        "slug": "neueste-nachrichten",
        "items": [
            {
                "kicker": "Nachbarsmädchen missbraucht",
                "headline": "Kinderschänder erhält hohe Haftstrafe",
                "section": "blaulicht",
                "badge": "neu",
                "views": 1287,
            },
            {
                "kicker": "Pärchen geschockt",
                "headline": "Von Biber gefällter Baum kracht auf Motorboot",
                "section": "aus-der-region",
                "badge": "neu",
                "views": 942,
            },
            {
                "sponsored": True,
                "advertiser": "Rheinwerk Logistik GmbH",
                "kicker": "",
                "headline": (
                    "Auf Jobsuche? Düsseldorfer Unternehmen sucht dringend neue Leute!"
                ),
                "views": 1694,
            },
            {
                "kicker": "",
                "headline": (
                    'Von wegen idyllische Hofwoche! Böse Überraschung bei "Bauer '
                    'sucht Frau"'
                ),
                "section": "promi-show",
                "badge": "neu",
                "views": 2751,
            },
            {
                "kicker": "Fall Khashoggi",
                "headline": "Siemens-Chef Joe Kaeser sagt Reise nach Riad ab",
                "section": "nachrichten",
                "badge": "neu",
                "views": 1468,
            },
            {
                "sponsored": True,
                "advertiser": "Vitalis Krankenkasse",
                "kicker": "",
                "headline": (
                    "Hat unser Pflegesystem die Grenze erreicht? Beitragserhögung "
                    "verspricht keine Besserung"
                ),
                "views": 13343,
            },
            {
                "kicker": '"Feine Sahne Fischfilet"',
                "headline": "Jetzt regnet es Konzert-Einladungen",
                "section": "promi-show",
                "badge": "neu",
                "views": 1832,
            },
            {
                "kicker": "Experte schätzt ein",
                "headline": "Ist der Babybrei-Erpresser schuldfähig?",
                "section": "blaulicht",
                "badge": "neu",
                "views": 2209,
            },
            {
                "sponsored": True,
                "advertiser": "Startup Stage Rhein-Main e.V.",
                "kicker": "Gründerpitch in Frankfurt",
                "headline": "Startups winken insgesamt 30.000 Euro Preisgeld",
                "views": 7779,
            },
            {
                "kicker": "",
                "headline": "Drogenkurier mit 5,5 Kilo Kokain geht Polizei ins Netz",
                "section": "blaulicht",
                "badge": "neu",
                "views": 764,
            },
            {
                "kicker": "18 Tote und knapp 170 Verletzte nach tragischem Zugunglück",
                "headline": "Ursache steht wohl fest!",
                "section": "nachrichten",
                "badge": "neu",
                "views": 4317,
            },
            {
                "kicker": "Bundesliga-Novum",
                "headline": "Eintracht wandelt auf Spuren von Manchester City",
                "section": "sport",
                "badge": "neu",
                "views": 3158,
            },
            {
                "kicker": "",
                "headline": "110-Kilo Sprenggranate am Bonner Rheinufer geborgen",
                "section": "aus-der-region",
                "badge": "neu",
                "views": 1096,
            },
            {
                "kicker": "Mann in Zug kontrolliert",
                "headline": "Nachdem er seine Tasche öffnet, landet er im Knast",
                "section": "blaulicht",
                "badge": "neu",
                "views": 2583,
            },
            {
                "kicker": "Schock in der Manege",
                "headline": "Zirkus-Artistin kracht ungebremst zu Boden",
                "section": "nachrichten",
                "badge": "neu",
                "views": 1725,
            },
            {
                "kicker": "Frau wird erstochen in ihrer Wohnung aufgefunden",
                "headline": "Kannte sie ihren Mörder?",
                "section": "blaulicht",
                "badge": "neu",
                "views": 3392,
            },
        ],
    },
    {
        "title": "Aus aller Welt",
        "slug": "aus-aller-welt",
        "items": [
            {
                "kicker": "Kind (5) stirbt bei Horror-Unfall",
                "headline": "Schockierendes Detail kommt ans Licht",
                "section": "blaulicht",
                "badge": "neu",
                "views": 5046,
            },
            {
                "kicker": "",
                "headline": (
                    "Krasse Bilder! Hagelsturm flutet Straßen von Millionen-Metropole"
                ),
                "section": "nachrichten",
                "badge": "neu",
                "views": 2870,
            },
        ],
    },
    {
        "title": "Aktuell",
        "slug": "aktuell",
        "items": [
            {
                "kicker": "",
                "headline": 'Tolle Neuigkeiten für Fans von "Biathlon auf Schalke"',
                "section": "sport",
                "badge": "neu",
                "views": 618,
            },
            {
                "kicker": "Passagier bepöbelt schwarze Frau im Flieger",
                "headline": "Reaktion von Ryanair entsetzt",
                "section": "nachrichten",
                "badge": "neu",
                "views": 1954,
            },
            {
                "kicker": "",
                "headline": "Sprengsatz gezündet! Anschlag auf Berliner Bar",
                "section": "blaulicht",
                "badge": "neu",
                "views": 1379,
            },
            {
                "kicker": "",
                "headline": (
                    "Lebensgefährlich! Schwarzfahrer stößt Kontrolleur ins Gleis"
                ),
                "section": "blaulicht",
                "badge": "neu",
                "views": 887,
            },
            {
                "kicker": "",
                "headline": (
                    "Drogenrausch? Schwester von Miley Cyrus protzt mit riesigem "
                    "Marihuana-Haufen"
                ),
                "section": "promi-show",
                "badge": "neu",
                "views": 2436,
            },
        ],
    },
    {
        "title": "Meistgelesen",
        "slug": "meistgelesen",
        "items": [
            {
                "kicker": "Raubüberfall auf Geldtransporter",
                "headline": "Polizei sucht silbernen BMW!",
                "section": "blaulicht",
                "badge": None,
                "views": 460,
            },
            {
                "kicker": "Flüchtling verstümmelt 18-Jährigem Gesicht",
                "headline": "Opfer nahezu blind",
                "section": "blaulicht",
                "badge": None,
                "views": 4795,
            },
            {
                "kicker": "Pegel-Rekord im Rhein",
                "headline": "So flach wie nie!",
                "section": "aus-der-region",
                "badge": None,
                "views": 260,
            },
            {
                "kicker": "",
                "headline": (
                    "Mutter schüttelt Baby zu Tode und wird direkt wieder schwanger"
                ),
                "section": "blaulicht",
                "badge": None,
                "views": 2065,
            },
            {
                "kicker": "Sohn schlägt Vater mit Stein bewusstlos und köpft ihn",
                "headline": "Jetzt gesteht er die Tat!",
                "section": "blaulicht",
                "badge": None,
                "views": 2814,
            },
            {
                "kicker": "Von GZSZ-Nico zum Obdachlosen",
                "headline": "Das macht Raphaël Vogt heute!",
                "section": "promi-show",
                "badge": None,
                "views": 3420,
            },
            {
                "kicker": "",
                "headline": "Frau stirbt nach brutalem Handtaschen-Raub",
                "section": "blaulicht",
                "badge": "update",
                "views": 490,
            },
            {
                "kicker": "",
                "headline": (
                    "Rund 690 in nur zwei Jahren! Reichsbürgern werden in Bayern "
                    "Waffen entzogen"
                ),
                "section": "nachrichten",
                "badge": None,
                "views": 77,
            },
            {
                "kicker": "",
                "headline": (
                    "Schüler bedroht Lehrerin mit falscher Waffe mitten im "
                    "Klassenzimmer"
                ),
                "section": "blaulicht",
                "badge": None,
                "views": 2203,
            },
            {
                "kicker": "Todessturz von Parkbank",
                "headline": "Starb 26-Jähriger wegen eines schlechten Scherzes?",
                "section": "blaulicht",
                "badge": None,
                "views": 3749,
            },
            {
                "kicker": "Umfrage",
                "headline": "Grüne lachen, Seehofer angezählt, SPD im Keller",
                "section": "nachrichten",
                "badge": None,
                "views": 531,
            },
            {
                "kicker": "Blutiges Drama im Zoo",
                "headline": "Löwin tötet Vater ihrer drei Jungen",
                "section": "nachrichten",
                "badge": None,
                "views": 3423,
            },
            {
                "kicker": "",
                "headline": (
                    "Darum solltet Ihr auf Klos niemals Toilettenpapier als Unterlage "
                    "verwenden"
                ),
                "section": "nachrichten",
                "badge": None,
                "views": 3567,
            },
            {
                "kicker": "Dumm gelaufen",
                "headline": "Mieter muss ausziehen, weil er zu laut Pornos schaut",
                "section": "nachrichten",
                "badge": None,
                "views": 1472,
            },
            {
                "kicker": "Schwäche gezeigt",
                "headline": (
                    "Bayern-Legende Breitner übt klare Kritik an Hoeneß und Rummenigge"
                ),
                "section": "sport",
                "badge": None,
                "views": 883,
            },
            {
                "kicker": "",
                "headline": (
                    "Happy End! Gestohlene Hundewelpen und Besitzer wieder vereint"
                ),
                "section": "aus-der-region",
                "badge": None,
                "views": 1733,
            },
            {
                "kicker": "",
                "headline": (
                    "Rechtsextreme Tötungsvideos ohne Barriere im Internet abrufbar"
                ),
                "section": "digital",
                "badge": None,
                "views": 1415,
            },
            {
                "kicker": "Produkt-Rückruf",
                "headline": "Diese Sprossen verursachen blutigen Durchfall!",
                "section": "nachrichten",
                "badge": None,
                "views": 1516,
            },
            {
                "kicker": "Mädchen kam nicht in der Schule an",
                "headline": "Wo ist Nika Sophia (12)?",
                "section": "blaulicht",
                "badge": "update",
                "views": 3620,
            },
            {
                "kicker": "",
                "headline": (
                    "Riverboat-Aus für Stephanie Stumph! Und ihr Nachfolger ist eine "
                    "echte Überraschung"
                ),
                "section": "promi-show",
                "badge": None,
                "views": 7047,
            },
            {
                "kicker": "Drama in Asylunterkunft",
                "headline": "Kleines Mädchen (2) stürzt von Balkon in die Tiefe",
                "section": "blaulicht",
                "badge": None,
                "views": 1592,
            },
            {
                "kicker": "Nach Tierquälerei auf Schlachthof",
                "headline": "Waren auch zwei Tierärzte beteiligt?",
                "section": "aus-der-region",
                "badge": None,
                "views": 668,
            },
            {
                "kicker": "",
                "headline": (
                    "Neuer Trend? Lübecker Agentur führt bayerische Feiertage ein"
                ),
                "section": "aus-der-region",
                "badge": None,
                "views": 86,
            },
            {
                "kicker": "Eltern brutal mit Hammer im Bett erschlagen und eingemauert",
                "headline": "So geht es weiter",
                "section": "blaulicht",
                "badge": None,
                "views": 2946,
            },
            {
                "kicker": "Meghan böse beleidigt",
                "headline": "TV-Moderator disst schwangere Herzogin",
                "section": "promi-show",
                "badge": None,
                "views": 2913,
            },
            {
                "kicker": "Autos in Bayern am sichersten",
                "headline": "Diese Marken bevorzugen Diebe",
                "section": "aus-der-region",
                "badge": None,
                "views": 146,
            },
            {
                "kicker": "FC Bayern vor CL-Duell in Athen",
                "headline": "Franck Ribéry nicht mit dabei",
                "section": "sport",
                "badge": None,
                "views": 680,
            },
        ],
    },
]


# The site's own pages (kind → title, body): placeholders an editor replaces
# with the publisher's real details before going live.
# Rails that fill themselves (after the curated ones, so they repeat
# nothing above them): an article an editor publishes in the demo shows up
# on the front page without anyone placing it.
AUTOMATIC_RAILS = [
    {
        "title": "Neu auf der Seite",
        "slug": "neu-auf-der-seite",
        "kind": "automatic",
        "fill": "latest",
        "size": 6,
    },
]

SITE_PAGES = {
    "impressum": (
        "Impressum",
        "<p><strong>Platzhalter:</strong> Bitte vor dem Livegang durch die "
        "Angaben des Verlags ersetzen.</p>"
        "<h2>Angaben gemäß § 5 DDG</h2>"
        "<p>Rheinischer Musterverlag GmbH<br>Domplatz 1<br>50667 Köln</p>"
        "<p>Handelsregister: HRB 000000, Amtsgericht Köln<br>"
        "Umsatzsteuer-Identifikationsnummer: DE000000000</p>"
        "<p>Vertreten durch die Geschäftsführerin Erika Musterfrau</p>"
        "<h2>Kontakt</h2>"
        "<p>Telefon: 0221 000000<br>"
        'E-Mail: <a href="mailto:redaktion@example.com">redaktion@example.com</a></p>'
        "<h2>Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV</h2>"
        "<p>Max Mustermann (Chefredakteur), Anschrift wie oben</p>",
    ),
    "datenschutz": (
        "Datenschutzerklärung",
        "<p><strong>Platzhalter:</strong> Bitte vor dem Livegang durch die "
        "geprüfte Datenschutzerklärung des Verlags ersetzen.</p>"
        "<h2>Verantwortliche Stelle</h2>"
        "<p>Rheinischer Musterverlag GmbH, Domplatz 1, 50667 Köln</p>"
        "<h2>Welche Daten wir verarbeiten</h2>"
        "<p>Beim Aufruf unserer Seiten verarbeitet der Server technisch "
        "notwendige Daten (IP-Adresse, Zeitpunkt, aufgerufene Adresse). "
        "Leserinnen und Leser werden nicht mit Cookies verfolgt.</p>"
        "<h2>Ihre Rechte</h2>"
        "<p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung und "
        "Einschränkung der Verarbeitung sowie auf Beschwerde bei einer "
        "Aufsichtsbehörde (Art. 15 bis 21 und 77 DSGVO).</p>"
        "<h2>Datenschutzbeauftragte</h2>"
        '<p><a href="mailto:datenschutz@example.com">datenschutz@example.com</a></p>',
    ),
    "kontakt": (
        "Kontakt",
        "<p><strong>Platzhalter:</strong> Bitte vor dem Livegang durch die "
        "Kontaktdaten der Redaktion ersetzen.</p>"
        "<h2>Redaktion</h2>"
        "<p>Domplatz 1, 50667 Köln<br>Telefon: 0221 000000<br>"
        'E-Mail: <a href="mailto:redaktion@example.com">redaktion@example.com</a></p>'
        "<h2>Leserservice und Abonnement</h2>"
        "<p>Montag bis Freitag, 8 bis 18 Uhr<br>Telefon: 0221 000001</p>"
        "<h2>Anzeigen</h2>"
        '<p><a href="mailto:anzeigen@example.com">anzeigen@example.com</a></p>',
    ),
}

# A running live ticker: the article on top, then entries oldest first
# (title, body paragraph, key event, pinned); minutes before loading.
LIVE_TICKER = {
    "section": "blaulicht",
    "kicker": "Liveticker",
    "headline": "Großbrand im Hafen: Feuerwehr im Dauereinsatz",
    "teaser": (
        "Eine Lagerhalle im Industriehafen steht in Flammen. Die Feuerwehr bittet, "
        "Fenster und Türen geschlossen zu halten. Alle Entwicklungen im Liveticker."
    ),
    "paragraphs": [
        (
            "Seit dem frühen Morgen brennt eine Lagerhalle im Industriehafen. Über "
            "der Stadt steht eine weithin sichtbare Rauchsäule."
        ),
    ],
    "entries": [
        (
            95,
            "Feuerwehr rückt aus",
            "Die Leitstelle meldet einen Brand in einer Lagerhalle am Hafenbecken 2. "
            "Mehrere Löschzüge sind unterwegs.",
            True,
            False,
        ),
        (
            70,
            "",
            "Die Rauchsäule ist bis in die Innenstadt zu sehen. Die Polizei sperrt "
            "die Hafenstraße in beide Richtungen.",
            False,
            False,
        ),
        (
            40,
            "Warnung für Anwohner",
            "Die Stadt hat eine Warnung über die Warn-App NINA verschickt: Fenster "
            "und Türen geschlossen halten, Lüftungen ausschalten.",
            True,
            True,
        ),
        (
            12,
            "",
            "Nach Angaben der Feuerwehr ist niemand verletzt worden. Die Löscharbeiten "
            "werden voraussichtlich bis in den Abend dauern.",
            False,
            False,
        ),
    ],
}
