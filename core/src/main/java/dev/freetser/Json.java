package dev.freetser;

import tools.jackson.jr.ob.JSON;

/** The one jackson-jr instance: records write their fields in declaration order. */
final class Json {
    static final JSON JSON = tools.jackson.jr.ob.JSON.builder()
            .enable(tools.jackson.jr.ob.JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
            .build();

    private Json() {}
}
