from tests.portfolio.conftest import API, approve


def test_smoke(client, history):
    approve(2)
    body = client.get(API).get_json()
    print(body)
    assert body["projects"] == 41
    page = client.get(f"{API}/projects?per_page=3").get_json()
    print(page)
    print(client.get(f"{API}/projects/UNSCAR-2016-0001").get_json())
    print(client.get(f"{API}/export.csv").get_data(as_text=True)[:600])
    print(client.get(f"{API}/iati.xml").get_data(as_text=True)[:3000])
    print(client.get(f"{API}/360giving.json").get_data(as_text=True)[:1500])
    assert client.get(f"{API}/export.xlsx").status_code == 200
