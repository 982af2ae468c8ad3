def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Register your organisation" in response.get_data(as_text=True)
