/*
 * auth_example.c - access control (Aerospike Enterprise Edition security):
 * log in as the administrator, create a role limited to one set and a user
 * holding it, work as that user, see what the role forbids, then clean up.
 *
 * Runs against an embedded aero-testserver with security on. Community
 * Edition has no security: with AERO_HOSTS=host:port naming such a server,
 * the example shows the answer a login gets there and stops.
 */
#include <aero/aero.h>
#include <stdio.h>

#include "example_env.h"

static aero_client *login(const char *seeds, const char *user, const char *password, aero_error *err) {
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.user = user;         /* every connection logs in as this user; */
    cfg.password = password; /* the password is sent bcrypt-hashed, never in clear (AERO_AUTH_INTERNAL) */
    return aero_client_connect(seeds, &cfg, err);
}

int main(void) {
    aero_error err;
    const char *hosts = getenv("AERO_HOSTS");
    if (hosts && *hosts) {
        aero_client *c = login(hosts, "admin", "admin", &err);
        if (c) {
            printf("logged in to %s as admin\n", hosts);
            aero_client_close(c);
        } else {
            printf("login to %s: %s\n", hosts, aero_status_str(err.code));
            printf("  %s\n", err.message);
        }
        return 0;
    }

    aero_testserver_config tc;
    aero_testserver_config_init(&tc);
    tc.security = true; /* a new Enterprise server: one user, admin/admin, with the user-admin role */
    aero_testserver *server = aero_testserver_start(&tc, &err);
    if (!server) {
        fprintf(stderr, "cannot start the embedded aero-testserver: %s\n", err.message);
        return 1;
    }
    const char *seeds = aero_testserver_seeds(server);
    int rc = 1;
    aero_client *admin = NULL, *app = NULL;
    aero_session *s = NULL;
    aero_record rec;
    aero_record_init(&rec);

    admin = login(seeds, "admin", "admin", &err);
    if (!admin) {
        fprintf(stderr, "admin login: %s\n", err.message);
        goto out;
    }

    /* a role that may read and write the set "orders" of namespace "test", and nothing else */
    aero_privilege orders_rw = { AERO_PRIV_READ_WRITE, "test", "orders" };
    CHECK(aero_admin_create_role(admin, NULL, "orders-app", &orders_rw, 1, NULL, 0, 0, 0, &err));
    const char *roles[] = { "orders-app" };
    CHECK(aero_admin_create_user(admin, NULL, "shop", "s3cret", roles, 1, &err));

    aero_user_list *users = NULL;
    CHECK(aero_admin_query_users(admin, NULL, NULL, &users, &err));
    for (size_t i = 0; i < users->n; i++) {
        printf("user %-6s roles:", users->users[i].name);
        for (size_t k = 0; k < users->users[i].n_roles; k++)
            printf(" %s", users->users[i].roles[k]);
        printf("\n");
    }
    aero_user_list_free(users);

    /* a wrong password is refused with the server's code */
    aero_client *wrong = login(seeds, "shop", "guess", &err);
    if (!wrong)
        printf("login with a wrong password: %s\n", aero_status_str(err.code));
    aero_client_close(wrong);

    app = login(seeds, "shop", "s3cret", &err);
    if (!app) {
        fprintf(stderr, "shop login: %s\n", err.message);
        goto out;
    }
    s = aero_client_create_session(app, NULL, &err);
    if (!s)
        goto out;
    aero_dataset orders = aero_dataset_of("test", "orders");
    aero_key order = aero_dataset_id_str(&orders, "order-1");
    aero_bin_value bins[] = { { "item", aero_str("teapot") }, { "qty", aero_int(2) } };
    CHECK(aero_session_put(s, &order, bins, 2, &err));
    CHECK(aero_session_get(s, &order, NULL, 0, &rec, &err));
    printf("shop wrote and read order-1: qty=%lld\n", (long long)aero_record_int(&rec, "qty", 0));

    /* outside its set, and for admin commands, the role is not enough */
    aero_dataset payroll = aero_dataset_of("test", "payroll");
    aero_key salary = aero_dataset_id_str(&payroll, "ceo");
    if (aero_session_get(s, &salary, NULL, 0, &rec, &err) == AERO_ERR_ROLE_VIOLATION)
        printf("shop reading payroll: %s\n", aero_status_str(err.code));
    if (aero_admin_create_user(app, NULL, "intruder", "x", NULL, 0, &err) == AERO_ERR_ROLE_VIOLATION)
        printf("shop creating a user: %s\n", aero_status_str(err.code));

    CHECK(aero_admin_drop_user(admin, NULL, "shop", &err));
    CHECK(aero_admin_drop_role(admin, NULL, "orders-app", &err));
    printf("dropped user shop and role orders-app\n");
    rc = 0;
out:
    aero_record_dispose(&rec);
    aero_session_free(s);
    aero_client_close(app);
    aero_client_close(admin);
    aero_testserver_stop(server);
    return rc;
}
