<?php
/**
 * Plugin Name: Reference consumer (test)
 * Description: Test-only. Written from the reference plugin's ("Integration with WorkOS") documented API
 *              alone — its actions, filters, helper functions and constants (docs/REFERENCE-API.md §1–§3,
 *              the seeds) — to show that such code runs unchanged on this plugin. It records what it sees
 *              in the option `reference_consumer_seen`; the option `reference_consumer_controls` tells its
 *              filters what to answer. Used by tests/e2e/test_reference_api.py.
 *
 * @package WorkOS_WP
 */

defined( 'ABSPATH' ) || exit;

/**
 * Appends one observation.
 *
 * @param string $hook What fired.
 * @param array  $data What it carried.
 */
function reference_consumer_record( string $hook, array $data ): void {
	$seen   = get_option( 'reference_consumer_seen', array() );
	$seen   = is_array( $seen ) ? $seen : array();
	$seen[] = array( 'hook' => $hook ) + $data;
	update_option( 'reference_consumer_seen', $seen, false );
}

/**
 * What the test asked a filter to answer (null: nothing).
 *
 * @param string $key Control name.
 * @return mixed
 */
function reference_consumer_control( string $key ) {
	$controls = get_option( 'reference_consumer_controls', array() );
	return is_array( $controls ) && array_key_exists( $key, $controls ) ? $controls[ $key ] : null;
}

// §1.1 #5: int $wp_user_id, array $workos_response.
add_action(
	'workos_user_authenticated',
	static function ( $wp_user_id, $workos_response ) {
		reference_consumer_record(
			'workos_user_authenticated',
			array(
				'user_id'            => $wp_user_id,
				'workos_user_id'     => $workos_response['user']['id'] ?? null,
				'email'              => $workos_response['user']['email'] ?? null,
				'has_access_token'   => ! empty( $workos_response['access_token'] ),
				'cookie_set'         => did_action( 'set_logged_in_cookie' ) > 0,
				// The helpers, asked about the user who just signed in.
				'is_sso_user'        => workos_is_sso_user( $wp_user_id ),
				'get_user_id'        => workos_get_user_id( $wp_user_id ),
			)
		);
	},
	10,
	2
);

// §1.1 #6: int $wp_user_id, array $workos_user.
add_action(
	'workos_user_created',
	static function ( $wp_user_id, $workos_user ) {
		reference_consumer_record(
			'workos_user_created',
			array(
				'user_id'        => $wp_user_id,
				'workos_user_id' => $workos_user['id'] ?? null,
				'email'          => $workos_user['email'] ?? null,
			)
		);
	},
	10,
	2
);

// §1.1 #7: int $wp_user_id, string $reason, array $workos_response.
add_action(
	'workos_login_denied',
	static function ( $wp_user_id, $reason, $workos_response ) {
		reference_consumer_record(
			'workos_login_denied',
			array(
				'user_id'        => $wp_user_id,
				'reason'         => $reason,
				'workos_user_id' => $workos_response['user']['id'] ?? null,
			)
		);
	},
	10,
	3
);

// §1.2 #2: null → int $wp_user_id, array $workos_response. Null looks the membership up.
add_filter(
	'workos_entitlement_check',
	static function ( $allowed, $wp_user_id, $workos_response ) {
		$answer = reference_consumer_control( 'entitlement' );
		reference_consumer_record(
			'workos_entitlement_check',
			array(
				'user_id'        => $wp_user_id,
				'workos_user_id' => $workos_response['user']['id'] ?? null,
				'answer'         => $answer,
			)
		);
		return null === $answer ? $allowed : (bool) $answer;
	},
	10,
	3
);

// §1.2 #1: bool — whether login requires an active organization membership.
add_filter(
	'workos_entitlement_gate_enabled',
	static function ( $enabled ) {
		$forced = reference_consumer_control( 'gate_enabled' );
		return null === $forced ? $enabled : (bool) $forced;
	}
);

// §1.2 #14: true → WP_User, string $redirect_to.
add_filter(
	'workos_logout_redirect_should_apply',
	static function ( $apply ) {
		$forced = reference_consumer_control( 'logout_should_apply' );
		return null === $forced ? $apply : (bool) $forced;
	}
);

// §1.1 #15: WP_User $user, string $reason.
add_action(
	'workos_logout_redirect_skipped',
	static function ( $user, $reason ) {
		reference_consumer_record(
			'workos_logout_redirect_skipped',
			array(
				'user_id' => $user->ID,
				'reason'  => $reason,
			)
		);
	},
	10,
	2
);

// §1.1 #3: array $event (the decoded webhook JSON).
add_action(
	'workos_webhook_user.updated',
	static function ( $event ) {
		reference_consumer_record(
			'workos_webhook_user.updated',
			array(
				'event_id' => $event['id'] ?? null,
				'event'    => $event['event'] ?? null,
				'data_id'  => $event['data']['id'] ?? null,
			)
		);
	}
);

// §1.1 #4: array $event, string $event_type.
add_action(
	'workos_webhook',
	static function ( $event, $event_type ) {
		reference_consumer_record(
			'workos_webhook',
			array(
				'event_id'   => $event['id'] ?? null,
				'event_type' => $event_type,
				'event'      => $event['event'] ?? null,
			)
		);
	},
	10,
	2
);

// §1.1 #16: string $event_type, array $data.
add_action(
	'workos_activity_logged',
	static function ( $event_type, $data ) {
		reference_consumer_record(
			'workos_activity_logged',
			array(
				'event_type' => $event_type,
				'user_id'    => $data['user_id'] ?? null,
			)
		);
	},
	10,
	2
);

// §1.2 #12: string role URL → WP_User, string $role, bool $is_first_login.
add_filter(
	'workos_redirect_url',
	static function ( $url, $user, $role, $is_first_login ) {
		$forced = reference_consumer_control( 'redirect_url' );
		reference_consumer_record(
			'workos_redirect_url',
			array(
				'url'            => $url,
				'user_id'        => $user instanceof WP_User ? $user->ID : null,
				'role'           => $role,
				'is_first_login' => $is_first_login,
			)
		);
		return null === $forced ? $url : $forced;
	},
	10,
	4
);

// §1.2 #13: the login redirect map, role => {url, first_login_only}.
add_filter(
	'workos_redirect_urls',
	static function ( $map ) {
		$extra = reference_consumer_control( 'redirect_urls' );
		return is_array( $extra ) ? array_merge( $map, $extra ) : $map;
	}
);

// §1.1 #12, #13.
add_action(
	'workos_redirect_before',
	static function ( $url, $user, $is_first_login ) {
		reference_consumer_record(
			'workos_redirect_before',
			array(
				'url'            => $url,
				'user_id'        => $user->ID,
				'is_first_login' => $is_first_login,
			)
		);
	},
	10,
	3
);
add_action(
	'workos_redirect_skipped',
	static function ( $user, $reason ) {
		reference_consumer_record(
			'workos_redirect_skipped',
			array(
				'user_id' => $user->ID,
				'reason'  => $reason,
			)
		);
	},
	10,
	2
);

// §1.2 #15: string → WP_User, string $role.
add_filter(
	'workos_logout_redirect_url',
	static function ( $url, $user, $role ) {
		$forced = reference_consumer_control( 'logout_redirect_url' );
		reference_consumer_record(
			'workos_logout_redirect_url',
			array(
				'url'     => $url,
				'user_id' => $user->ID,
				'role'    => $role,
			)
		);
		return null === $forced ? $url : $forced;
	},
	10,
	3
);

// §1.1 #14.
add_action(
	'workos_logout_redirect_before',
	static function ( $url, $user ) {
		reference_consumer_record(
			'workos_logout_redirect_before',
			array(
				'url'     => $url,
				'user_id' => $user->ID,
			)
		);
	},
	10,
	2
);

// §2: the helpers, as a theme calls them on a page of the signed-in visitor (?reference_consumer=helpers).
add_action(
	'template_redirect',
	static function () {
		if ( ! isset( $_GET['reference_consumer'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification -- read-only test probe.
			return;
		}
		ob_start();
		workos_log( 'reference consumer probe', 'info' );
		ob_end_clean();
		wp_send_json(
			array(
				'user_id'            => get_current_user_id(),
				'is_sso_user'        => workos_is_sso_user(),
				'get_user_id'        => workos_get_user_id(),
				'has_active_session' => workos_has_active_session(),
				'access_token_type'  => gettype( workos_get_access_token() ),
				'is_enabled'         => workos()->is_enabled(),
				'version'            => workos()->getVersion(),
				'client_id'          => workos()->option( 'client_id' ),
				// §3: the constants, as a theme tests for the plugin and builds paths from them.
				'constants'          => defined( 'WORKOS_VERSION' ) ? array( WORKOS_VERSION, WORKOS_FILE, WORKOS_DIR, WORKOS_URL, WORKOS_BASENAME ) : null,
			)
		);
	}
);

/**
 * The slug of the `Profile` the shell's hooks pass (§1.1 #9–11, §1.2 #4–6), asked the way code written for the
 * reference asks its Profile object.
 *
 * @param mixed $profile What the hook passed.
 * @return array
 */
function reference_consumer_profile( $profile ): array {
	return array(
		'profile_is_object' => is_object( $profile ),
		'profile_slug'      => is_object( $profile ) && method_exists( $profile, 'get_slug' ) ? $profile->get_slug() : null,
	);
}

// §1.2 #6: array {logo_url, primary_color, heading, subheading} → Profile. Empty logo_url: no logo.
add_filter(
	'workos_authkit_branding',
	static function ( $branding, $profile ) {
		reference_consumer_record( 'workos_authkit_branding', array( 'branding' => $branding ) + reference_consumer_profile( $profile ) );
		$forced = reference_consumer_control( 'branding' );
		return is_array( $forced ) ? array_merge( $branding, $forced ) : $branding;
	},
	10,
	2
);

// §1.2 #4: the client payload (data-profile) → Profile.
add_filter(
	'workos_authkit_profile_data',
	static function ( $data, $profile ) {
		reference_consumer_record( 'workos_authkit_profile_data', array( 'slug' => $data['slug'] ?? null ) + reference_consumer_profile( $profile ) );
		$extra = reference_consumer_control( 'profile_data' );
		return is_array( $extra ) ? array_merge( $data, $extra ) : $data;
	},
	10,
	2
);

// §1.2 #5: body classes of full-page renders → Profile.
add_filter(
	'workos_authkit_body_classes',
	static function ( $classes, $profile ) {
		reference_consumer_record( 'workos_authkit_body_classes', array( 'classes' => $classes ) + reference_consumer_profile( $profile ) );
		$classes[] = 'reference-consumer-' . $profile->get_slug();
		return $classes;
	},
	10,
	2
);

// §1.1 #9: Profile $profile, after the shell's script and style are enqueued.
add_action(
	'workos_authkit_enqueue_assets',
	static function ( $profile ) {
		reference_consumer_record(
			'workos_authkit_enqueue_assets',
			array( 'shell_enqueued' => wp_script_is( 'workos-authkit', 'enqueued' ) ) + reference_consumer_profile( $profile )
		);
	}
);

// §1.1 #10, #11: Profile $saved (with its post ID) / Profile $profile (the copy taken before deleting).
add_action(
	'workos_login_profile_saved',
	static function ( $saved ) {
		reference_consumer_record( 'workos_login_profile_saved', array( 'id' => $saved->get_id() ) + reference_consumer_profile( $saved ) );
	}
);
add_action(
	'workos_login_profile_deleted',
	static function ( $profile ) {
		reference_consumer_record( 'workos_login_profile_deleted', array( 'id' => $profile->get_id() ) + reference_consumer_profile( $profile ) );
	}
);

// §1.2 #9: true → WP_User, string $redirect_to.
add_filter(
	'workos_redirect_should_apply',
	static function ( $apply, $user, $redirect_to ) {
		reference_consumer_record(
			'workos_redirect_should_apply',
			array(
				'user_id'     => $user instanceof WP_User ? $user->ID : null,
				'redirect_to' => $redirect_to,
			)
		);
		$forced = reference_consumer_control( 'redirect_should_apply' );
		return null === $forced ? $apply : (bool) $forced;
	},
	10,
	3
);

// §1.2 #10: bool → string $redirect_to, WP_User.
add_filter(
	'workos_redirect_is_explicit',
	static function ( $explicit, $redirect_to, $user ) {
		reference_consumer_record(
			'workos_redirect_is_explicit',
			array(
				'explicit'    => $explicit,
				'redirect_to' => $redirect_to,
				'user_id'     => $user instanceof WP_User ? $user->ID : null,
			)
		);
		$forced = reference_consumer_control( 'redirect_is_explicit' );
		return null === $forced ? $explicit : (bool) $forced;
	},
	10,
	3
);

// §1.2 #11: bool (the entry's flag) → string $role, WP_User.
add_filter(
	'workos_redirect_first_login_only',
	static function ( $only, $role, $user ) {
		reference_consumer_record(
			'workos_redirect_first_login_only',
			array(
				'only'    => $only,
				'role'    => $role,
				'user_id' => $user instanceof WP_User ? $user->ID : null,
			)
		);
		$forced = reference_consumer_control( 'redirect_first_login_only' );
		return null === $forced ? $only : (bool) $forced;
	},
	10,
	3
);

// §1.2 #16: the logout map, role => url.
add_filter(
	'workos_logout_redirect_urls',
	static function ( $map ) {
		$extra = reference_consumer_control( 'logout_redirect_urls' );
		return is_array( $extra ) ? array_merge( $map, $extra ) : $map;
	}
);

// §1.1 #3 for the other whitelisted types (§6.4): array $event.
foreach ( array( 'organization_membership.created', 'dsync.user.created', 'organization.updated', 'connection.activated' ) as $reference_consumer_type ) {
	add_action(
		'workos_webhook_' . $reference_consumer_type,
		static function ( $event ) {
			reference_consumer_record(
				'workos_webhook_' . ( $event['event'] ?? '?' ),
				array(
					'event_id' => $event['id'] ?? null,
					'data_id'  => $event['data']['id'] ?? null,
				)
			);
		}
	);
}

// §1.2 #3: slug => HTML links under the WorkOS column → int $wp_user_id, string $workos_id.
add_filter(
	'workos_user_list_column_actions',
	static function ( $actions, $wp_user_id, $workos_id ) {
		$actions['consumer'] = sprintf(
			'<a href="%1$s" class="reference-consumer-link" data-user="%2$d">%3$s</a>',
			esc_url( 'https://dashboard.example/users/' . rawurlencode( $workos_id ) ),
			(int) $wp_user_id,
			esc_html( 'Open ' . $workos_id )
		);
		$extra = reference_consumer_control( 'column_actions' );
		return is_array( $extra ) ? array_merge( $actions, $extra ) : $actions;
	},
	10,
	3
);
