// consumer.cpp - the downstream check in C++: the same generated header and
// libaero, used from C++17 (std::string, RAII for the handles), against the
// embedded aero-testserver or the cluster named by AERO_HOSTS.
#include "shop.aero.h"

#include <aero/testserver.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

struct server_stop {
    void operator()(aero_testserver *ts) const { aero_testserver_stop(ts); }
};
struct client_close {
    void operator()(aero_client *c) const { aero_client_close(c); }
};
struct session_free {
    void operator()(aero_session *s) const { aero_session_free(s); }
};

int fail(const char *what, const aero_error &err) {
    std::cerr << "consumer (C++): " << what << ": " << aero_status_str(err.code) << ": " << err.message << "\n";
    return 1;
}

} // namespace

int main() {
    aero_error err;
    std::unique_ptr<aero_testserver, server_stop> server;
    std::string seeds;
    if (const char *hosts = std::getenv("AERO_HOSTS"); hosts && *hosts) {
        seeds = hosts;
    } else {
        server.reset(aero_testserver_start(nullptr, &err));
        if (!server)
            return fail("start the embedded aero-testserver", err);
        seeds = aero_testserver_seeds(server.get());
    }
    std::unique_ptr<aero_client, client_close> client(aero_client_connect(seeds.c_str(), nullptr, &err));
    if (!client)
        return fail("connect", err);
    std::unique_ptr<aero_session, session_free> session(aero_client_create_session(client.get(), nullptr, &err));
    if (!session)
        return fail("create a session", err);

    // unique per run: a shared cluster is fine
    const std::string key = "downstream-cpp-" + std::to_string(std::time(nullptr)) + "-" + std::to_string(getpid());
    product in = PRODUCT_INIT;
    in.name = "chair";
    in.has_price = true;
    in.price = 129;
    if (product_upsert(session.get(), key.c_str(), &in, &err) != AERO_OK)
        return fail("upsert", err);

    aero_record holder;
    aero_record_init(&holder);
    product out;
    int rc = 0;
    if (product_get(session.get(), key.c_str(), &out, &holder, &err) != AERO_OK)
        rc = fail("get", err);
    else if (std::string(out.name) != "chair" || !out.has_price || out.price != 129 || out.has_tags)
        rc = (std::cerr << "consumer (C++): read back something else than was written\n", 1);
    aero_record_dispose(&holder);
    if (product_delete(session.get(), key.c_str(), nullptr, &err) != AERO_OK && rc == 0)
        rc = fail("delete", err);
    if (rc == 0)
        std::cout << "consumer (C++): typed upsert/get of " << key << ": ok\n";
    return rc;
}
