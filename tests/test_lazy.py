import pytest

from fitness.lazy import lazy_members


def test_a_member_is_imported_on_first_use_and_kept(monkeypatch):
    import fitness.capture as package

    monkeypatch.delitem(vars(package), "ReplayCamera", raising=False)
    from fitness.capture.replay import ReplayCamera

    assert package.ReplayCamera is ReplayCamera
    assert vars(package)["ReplayCamera"] is ReplayCamera


def test_any_other_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        lazy_members("fitness.capture", {})("Nothing")
