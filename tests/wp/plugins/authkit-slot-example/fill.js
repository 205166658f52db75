/**
 * Fills of the hosted login's slots, without a build step: plain wp.element.createElement.
 * Each fill is a function of the fill props { step, profileSlug, methods, flow? }.
 */
/* global wp */
( function () {
	const el = wp.element.createElement;
	const Fill = wp.components.Fill;
	const __ = wp.i18n.__;
	const sprintf = wp.i18n.sprintf;

	wp.plugins.registerPlugin( 'authkit-slot-example', {
		scope: 'workos-authkit',
		render() {
			return el(
				wp.element.Fragment,
				null,
				el( Fill, { name: 'workos.authkit.belowCard' }, function ( props ) {
					return el(
						'p',
						{ className: 'authkit-slot-example-below' },
						sprintf(
							/* translators: 1: the login profile's slug, 2: the shell's step. */
							__( 'Terms of the %1$s login apply (step: %2$s).', 'authkit-slot-example' ),
							props.profileSlug,
							props.step
						)
					);
				} ),
				el( Fill, { name: 'workos.authkit.afterPrimaryAction' }, function () {
					return el(
						'p',
						{ className: 'authkit-slot-example-after-action' },
						__( 'Need help? Call the front desk.', 'authkit-slot-example' )
					);
				} )
			);
		},
	} );
} )();
