package com.example.shop;

import dev.retry.annotation.Hedged;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

@Service
public class SearchClient {

    private final RestClient http = RestClient.create("http://search.internal");

    @Hedged("search")                                   // retry.hedges.search
    public String search(String terms) {
        return http.get().uri("/search?q={terms}", terms).retrieve().body(String.class);
    }

    @Hedged(value = "search", delay = "p95", maxHedges = 2)
    public String suggest(String prefix) {
        return http.get().uri("/suggest?q={prefix}", prefix).retrieve().body(String.class);
    }
}
