"""The Data Docs rewrite: every CDN file has a local copy, pages point at it by a relative path."""

from expectations.data_docs import CDN_FILES, VENDOR, VENDOR_FOLDER, rewrite


def test_every_cdn_file_has_a_vendored_copy_with_its_licence():
    for local in CDN_FILES.values():
        assert (VENDOR / local).is_file(), local
        package = VENDOR / local.split("/")[0]
        assert (package / "LICENSE").is_file(), package


def test_a_page_is_rewritten_to_local_files_without_footer_or_remote_logo():
    page = (
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>\n'
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>\n'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>\n'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1"/>\n'
        '<footer>\n  <p>Stay current with our newsletter <a href="https://x">Subscribe</a></p>\n</footer>\n'
    )
    text = rewrite(page, "../..")
    assert f'href="../../{VENDOR_FOLDER}/bootstrap/bootstrap.min.css"' in text
    assert f'src="../../{VENDOR_FOLDER}/jquery/jquery.min.js"' in text
    assert 'src="../../static/images/logo-long.png"' in text
    assert "https://" not in text and "vega" not in text and "integrity" not in text and "footer" not in text
