/* The admin's slug prefill, written as the server writes slugs.
 *
 * Django's prepopulate.js calls window.URLify, whose table turns "ü" into
 * "u"; the server's german_slugify (articles/models/taxonomy.py) writes
 * "ue". This replaces URLify with a twin of german_slugify, so a slug
 * typed for you is the one the server would make. Keep the two in step:
 * tests/articles/admin/test_slugs.py runs both on the same names.
 */
"use strict";
{
    const GERMAN = {ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss"};

    function germanSlugify(text) {
        let value = String(text)
            .replace(/[äöüÄÖÜß]/g, (letter) => GERMAN[letter])
            // "4,2 Millionen": the digits stay apart ("4-2-millionen").
            .replace(/(\d)[^\w\s-]+(?=\d)/g, "$1-")
            // Accents go, whatever else is not ASCII is dropped (as NFKD
            // and encode("ascii", "ignore") do in Python).
            .normalize("NFKD")
            .replace(/[^\x00-\x7f]/g, "");
        value = value.toLowerCase().replace(/[^\w\s-]/g, "");
        return value.replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
    }

    window.URLify = function (text, maxLength) {
        return germanSlugify(text).substring(0, maxLength).replace(/-+$/g, "");
    };
}
