package dev.retry.docs;

import dev.retry.spring.http.RetryHttpClients;
import dev.retry.spring.http.RetryWebClientFilters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** The Java example of docs/http.md, between its {@code tag::} and {@code end::} lines exactly as shown. */
@Configuration
class HttpClientSnippets {

    // tag::clients[]
    @Bean
    RestClient inventory(RestClient.Builder http, RetryHttpClients clients) {
        return http.baseUrl("https://inventory.example.com")
                .apply(clients.restClient("inventory"))
                .build();
    }

    @Bean
    WebClient inventoryReactive(WebClient.Builder http, RetryWebClientFilters filters) {
        return http.baseUrl("https://inventory.example.com")
                .apply(filters.webClient("inventory"))
                .build();
    }
    // end::clients[]
}
